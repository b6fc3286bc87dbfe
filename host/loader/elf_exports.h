// Reads what kuphost needs from a shared object without loading it: its
// exported dynamic symbols and the kuphost_manifest section. Only headers,
// .dynsym/.dynstr and that section are read, so scanning a plugin directory
// costs a few reads per file, whatever the size of its debug info.
//
// Why not Boost.DLL's library_info::symbols(): in Boost 1.74 it reads .symtab
// (absent from stripped libraries, as distributions ship them) and pairs it
// with the last string table in the file (usually .shstrtab), so names come
// out wrong or missing. Exports are what the dynamic loader sees: .dynsym
// with .dynstr.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kuphost {

struct ElfExports {
  std::vector<std::string> functions;  // defined, global or weak, default or protected visibility
  std::vector<std::string> objects;    // exported data
};

// nullopt with *error set when the file is not an ELF shared object for
// this machine.
std::optional<ElfExports> read_elf_exports(const std::filesystem::path &file, std::string *error);

// The bytes of a named section; nullopt when the file is not ELF or has no
// such section.
std::optional<std::string> read_elf_section(const std::filesystem::path &file, const std::string &name);

}  // namespace kuphost
