// Helpers for the Windows worker tests: a windows-2022 sandbox and scripts
// sent through the node's own usr/bin/ssh as kuphost's transport sends them
// (-EncodedCommand: base64 of the UTF-16LE script).
#pragma once

#include <gtest/gtest.h>

#include "base64.h"
#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {

inline std::string encode_powershell(const std::string &script) {
  std::string utf16;
  for (unsigned char c : script) {  // the tests' scripts are ASCII
    utf16 += static_cast<char>(c);
    utf16 += '\0';
  }
  return detail::base64_encode(utf16);
}

inline RunResult powershell(const Node &node, const std::string &script, const std::string &host = "win1") {
  return run_on(node, "ssh",
                {"-o", "BatchMode=yes", "-o", "ConnectTimeout=30", host, "powershell", "-NoLogo", "-NoProfile",
                 "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encode_powershell(script)});
}

class WindowsNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Spec spec = test_spec(tmp_.path() / "sb", "cp1:first-control-plane,w1:worker,win1:worker");
    spec.distro = "windows-2022";
    sb_ = make_sandbox(spec);
  }
  const Node &win1() { return *sb_.find("win1"); }
  fs::path c_k(const std::string &name) { return win1().root / "C/k" / name; }
  std::string mirror(const std::string &version, const std::string &name) {
    return read_text(sb_.dir / "cluster/dl.k8s.io" / version / "bin/windows/amd64" / name);
  }

  TempDir tmp_;
  Sandbox sb_;
};

}  // namespace kuphost::sandbox::testing
