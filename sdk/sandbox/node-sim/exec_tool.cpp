#include "exec_tool.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace kuphost::sandbox::sim {

int exec_real_tool(Invocation &inv, const std::string &who, const std::filesystem::path &program,
                   std::vector<std::string> args, std::vector<std::string> environment, const std::string &hint) {
  std::vector<char *> argv, envp;
  for (auto &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto &e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  inv.out.flush();
  inv.err.flush();
  std::cout.flush();
  std::cerr.flush();
  if (environment.empty()) ::execv(program.c_str(), argv.data());
  else ::execve(program.c_str(), argv.data(), envp.data());
  inv.err << who << ": cannot run " << program.string() << ": " << std::strerror(errno) << hint << "\n";
  return 126;
}

}  // namespace kuphost::sandbox::sim
