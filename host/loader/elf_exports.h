// The dynamic symbols a shared object exports, read from its ELF .dynsym
// without loading it.
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

}  // namespace kuphost
