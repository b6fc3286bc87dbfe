#include "loader/elf_exports.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace kuphost {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kNativeMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kNativeMachine = EM_AARCH64;
#else
#error "set kNativeMachine for this architecture"
#endif

template <class T>
bool read_at(const std::string &bytes, uint64_t offset, T *out) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(out, bytes.data() + offset, sizeof(T));
  return true;
}

}  // namespace

std::optional<ElfExports> read_elf_exports(const std::filesystem::path &file, std::string *error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = "cannot read " + file.string();
    return std::nullopt;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Elf64_Ehdr eh{};
  if (!read_at(bytes, 0, &eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    *error = "not an ELF file";
    return std::nullopt;
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    *error = "not a 64-bit little-endian ELF file";
    return std::nullopt;
  }
  if (eh.e_type != ET_DYN) {
    *error = "an ELF file but not a shared object";
    return std::nullopt;
  }
  if (eh.e_machine != kNativeMachine) {
    *error = "built for another machine (ELF e_machine " + std::to_string(eh.e_machine) + ")";
    return std::nullopt;
  }
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) {
    *error = "unexpected ELF section header size";
    return std::nullopt;
  }
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  for (uint16_t i = 0; i < eh.e_shnum; ++i)
    if (!read_at(bytes, eh.e_shoff + uint64_t{i} * sizeof(Elf64_Shdr), &sections[i])) {
      *error = "truncated ELF section headers";
      return std::nullopt;
    }
  ElfExports out;
  for (const auto &dynsym : sections) {
    if (dynsym.sh_type != SHT_DYNSYM || dynsym.sh_link >= sections.size()) continue;
    const Elf64_Shdr &strtab = sections[dynsym.sh_link];  // .dynstr, by the link field
    const uint64_t count = dynsym.sh_entsize ? dynsym.sh_size / dynsym.sh_entsize : 0;
    for (uint64_t i = 1; i < count; ++i) {
      Elf64_Sym sym{};
      if (!read_at(bytes, dynsym.sh_offset + i * sizeof(Elf64_Sym), &sym)) break;
      const unsigned bind = ELF64_ST_BIND(sym.st_info), type = ELF64_ST_TYPE(sym.st_info);
      const unsigned vis = ELF64_ST_VISIBILITY(sym.st_other);
      if (sym.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) ||
          (vis != STV_DEFAULT && vis != STV_PROTECTED) || sym.st_name >= strtab.sh_size)
        continue;
      const char *name = bytes.data() + strtab.sh_offset + sym.st_name;
      const size_t max = strtab.sh_size - sym.st_name;
      std::string n(name, strnlen(name, max));
      if (n.empty()) continue;
      (type == STT_FUNC || type == STT_GNU_IFUNC ? out.functions : out.objects).push_back(n);
    }
  }
  std::sort(out.functions.begin(), out.functions.end());
  std::sort(out.objects.begin(), out.objects.end());
  return out;
}

}  // namespace kuphost
