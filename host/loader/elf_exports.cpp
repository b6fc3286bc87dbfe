#include "loader/elf_exports.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace kuphost {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kNativeMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kNativeMachine = EM_AARCH64;
#else
#error "set kNativeMachine for this architecture"
#endif

// Sections larger than this are not what kuphost reads (.dynsym, .dynstr,
// the manifest); refusing them bounds memory on a corrupt file.
constexpr uint64_t kMaxSectionBytes = 64u << 20;

class ElfFile {
 public:
  bool open(const std::filesystem::path &file, std::string *error) {
    in_.open(file, std::ios::binary);
    if (!in_) return fail(error, "cannot read " + file.string());
    if (!read_at(0, &header_, sizeof header_) || std::memcmp(header_.e_ident, ELFMAG, SELFMAG) != 0)
      return fail(error, "not an ELF file");
    if (header_.e_ident[EI_CLASS] != ELFCLASS64 || header_.e_ident[EI_DATA] != ELFDATA2LSB)
      return fail(error, "not a 64-bit little-endian ELF file");
    if (header_.e_type != ET_DYN) return fail(error, "an ELF file but not a shared object");
    if (header_.e_machine != kNativeMachine)
      return fail(error, "built for another machine (ELF e_machine " + std::to_string(header_.e_machine) + ")");
    if (header_.e_shentsize != sizeof(Elf64_Shdr)) return fail(error, "unexpected ELF section header size");
    sections_.resize(header_.e_shnum);
    for (uint16_t i = 0; i < header_.e_shnum; ++i)
      if (!read_at(header_.e_shoff + uint64_t{i} * sizeof(Elf64_Shdr), &sections_[i], sizeof(Elf64_Shdr)))
        return fail(error, "truncated ELF section headers");
    return true;
  }
  const std::vector<Elf64_Shdr> &sections() const { return sections_; }
  std::optional<std::string> bytes(const Elf64_Shdr &s) {
    if (s.sh_type == SHT_NOBITS || s.sh_size > kMaxSectionBytes) return std::nullopt;
    std::string out(s.sh_size, '\0');
    if (!read_at(s.sh_offset, out.data(), out.size())) return std::nullopt;
    return out;
  }
  std::optional<std::string> section(const std::string &name) {
    if (header_.e_shstrndx >= sections_.size()) return std::nullopt;
    const auto names = bytes(sections_[header_.e_shstrndx]);
    if (!names) return std::nullopt;
    for (const auto &s : sections_)
      if (s.sh_name < names->size() && std::strcmp(names->c_str() + s.sh_name, name.c_str()) == 0) return bytes(s);
    return std::nullopt;
  }

 private:
  static bool fail(std::string *error, const std::string &why) {
    if (error) *error = why;
    return false;
  }
  bool read_at(uint64_t offset, void *out, size_t size) {
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char *>(out), static_cast<std::streamsize>(size));
    return static_cast<size_t>(in_.gcount()) == size;
  }
  std::ifstream in_;
  Elf64_Ehdr header_{};
  std::vector<Elf64_Shdr> sections_;
};

}  // namespace

std::optional<ElfExports> read_elf_exports(const std::filesystem::path &file, std::string *error) {
  ElfFile elf;
  if (!elf.open(file, error)) return std::nullopt;
  ElfExports out;
  for (const auto &dynsym : elf.sections()) {
    if (dynsym.sh_type != SHT_DYNSYM || dynsym.sh_link >= elf.sections().size()) continue;
    const auto symbols = elf.bytes(dynsym);
    const auto names = elf.bytes(elf.sections()[dynsym.sh_link]);  // .dynstr, by the link field
    if (!symbols || !names) {
      *error = "unreadable dynamic symbol table";
      return std::nullopt;
    }
    for (size_t off = sizeof(Elf64_Sym); off + sizeof(Elf64_Sym) <= symbols->size(); off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, symbols->data() + off, sizeof sym);
      const unsigned bind = ELF64_ST_BIND(sym.st_info), type = ELF64_ST_TYPE(sym.st_info);
      const unsigned vis = ELF64_ST_VISIBILITY(sym.st_other);
      if (sym.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) ||
          (vis != STV_DEFAULT && vis != STV_PROTECTED) || sym.st_name >= names->size())
        continue;
      std::string name(names->c_str() + sym.st_name);
      if (name.empty()) continue;
      (type == STT_FUNC || type == STT_GNU_IFUNC ? out.functions : out.objects).push_back(std::move(name));
    }
  }
  std::sort(out.functions.begin(), out.functions.end());
  std::sort(out.objects.begin(), out.objects.end());
  return out;
}

std::optional<std::string> read_elf_section(const std::filesystem::path &file, const std::string &name) {
  ElfFile elf;
  if (!elf.open(file, nullptr)) return std::nullopt;
  return elf.section(name);
}

}  // namespace kuphost
