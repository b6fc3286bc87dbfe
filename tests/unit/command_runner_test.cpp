// The real command runner: argv without a shell, environment, stdin,
// captured and streamed output, timeouts that kill the process group, and
// programs that do not exist.
#include <csignal>
#include <thread>

#include <gtest/gtest.h>

#include "services/command_runner.h"
#include "test_support.h"

namespace kuphost {
namespace {
using namespace std::chrono_literals;

CommandResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 10s) {
  RealCommandRunner runner({}, {"KUPHOST_BASE=base"});
  Command c;
  c.argv = std::move(argv);
  c.timeout = timeout;
  return runner.run(c);
}

TEST(RealCommandRunner, PassesArgvVerbatimWithoutAShell) {
  const auto r = run({"printf", "%s|", "a b", "$HOME", "*", ";echo hi"});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "a b|$HOME|*|;echo hi|");
}

TEST(RealCommandRunner, CapturesExitCodeAndStderr) {
  const auto r = run({"ls", "/definitely/not/here"});
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos);
}

TEST(RealCommandRunner, EnvironmentLayersBaseAndCommandOverrides) {
  RealCommandRunner runner({}, {"KUPHOST_BASE=base", "KUPHOST_X=from-base"});
  Command c;
  c.argv = {"env"};
  c.env = {"KUPHOST_X=from-command", "DEBIAN_FRONTEND=noninteractive"};
  const auto r = runner.run(c);
  EXPECT_NE(r.out.find("KUPHOST_BASE=base\n"), std::string::npos);
  EXPECT_NE(r.out.find("KUPHOST_X=from-command\n"), std::string::npos);
  EXPECT_NE(r.out.find("DEBIAN_FRONTEND=noninteractive\n"), std::string::npos);
}

TEST(RealCommandRunner, FeedsStdinAndStreamsLines) {
  RealCommandRunner runner({}, {});
  Command c;
  c.argv = {"cat"};
  c.stdin_data = "one\ntwo\nthree";
  std::vector<std::string> lines;
  c.on_stdout_line = [&](std::string_view l) { lines.emplace_back(l); };
  const auto r = runner.run(c);
  EXPECT_EQ(r.out, "one\ntwo\nthree");
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(RealCommandRunner, LargeOutputIsNotTruncated) {
  const auto r = run({"head", "-c", "3000000", "/dev/zero"});
  EXPECT_EQ(r.out.size(), 3000000u);
}

TEST(RealCommandRunner, TimeoutKillsTheWholeProcessGroup) {
  test::TempDir dir;
  const auto marker = dir / "child-survived";
  // The grandchild would create the marker after 2 s unless it is killed too.
  const auto start = std::chrono::steady_clock::now();
  const auto r = run({"sh", "-c", "(sleep 2; touch " + marker.string() + ") & sleep 30"}, 300ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  std::this_thread::sleep_for(2500ms);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(RealCommandRunner, MissingProgramIsReportedNotRun) {
  const auto r = run({"kuphost-no-such-program"});
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.spawn_error, "command not found: kuphost-no-such-program");
}

TEST(RealCommandRunner, SearchPathConfinesLookups) {
  test::TempDir dir;
  RealCommandRunner confined({dir.path()}, {});
  Command c;
  c.argv = {"ls"};
  EXPECT_FALSE(confined.run(c).started) << "ls must not be found outside the search path";
}

}  // namespace
}  // namespace kuphost
