// Test doubles for the host's side-effect interfaces.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "services/clock.h"
#include "services/command_runner.h"
#include "services/file_system.h"

namespace kuphost::test {

// Records every command; answers from a script (first matching prefix of
// the space-joined argv), else exit 0 with empty output.
class FakeCommandRunner : public CommandRunner {
 public:
  struct Reply {
    std::string prefix;
    CommandResult result;
  };
  CommandResult run(const Command &command) override;
  void reply(const std::string &argv_prefix, int exit_code, const std::string &out = {},
             const std::string &err = {});
  void not_found(const std::string &program);
  std::vector<std::vector<std::string>> calls;

 private:
  std::vector<Reply> replies_;
};

// Time stands still until sleep advances it.
class FakeClock : public Clock {
 public:
  int64_t now_unix_ms() override { return now_; }
  int64_t monotonic_ms() override { return now_; }
  bool sleep_ms(uint32_t ms) override {
    now_ += ms;
    return true;
  }
  int64_t now_ = 1'780'000'000'000;
};

// The real file system, except that writes to paths containing `fail_marker`
// fail like a full disk.
class FailingFileSystem : public RealFileSystem {
 public:
  bool write_atomic(const std::filesystem::path &path, const std::string &data, uint32_t mode,
                    std::string *error) override {
    if (!fail_marker.empty() && path.string().find(fail_marker) != std::string::npos) {
      *error = "cannot write " + path.string() + ": No space left on device";
      return false;
    }
    return RealFileSystem::write_atomic(path, data, mode, error);
  }
  std::string fail_marker;
};

}  // namespace kuphost::test
