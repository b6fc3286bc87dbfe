// An in-process host for tests: a temporary node root, the real file system,
// a fake command runner and clock, config text, a plugin catalog and the run
// environment, so that tests drive plugins through the real C ABI path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "abi/plugin_runtime.h"
#include "compose/composer.h"
#include "fakes.h"
#include "loader/plugin_catalog.h"
#include "run/executor.h"
#include "run/journal.h"
#include "test_support.h"

namespace kuphost::test {

class Harness {
 public:
  Harness();
  // Writes kuphost.yaml text and loads it as the config.
  void set_config(const std::string &yaml);
  // Loads fixture plugins by file name ("recorder.so") from fixture_dir().
  const LoadedPlugin &load_fixture(const std::string &file);
  // Composes the loaded plugins for the facts and sets up runtime + executor.
  void compose(RunMode mode, const std::string &target = "v1.31.2");
  ApplyResult apply(bool force = false);

  TempDir dir;
  std::filesystem::path root;
  RealFileSystem fs;
  FakeCommandRunner runner;
  FakeClock clock;
  NodeFacts facts;
  HostConfig config;
  PluginCatalog catalog;
  std::vector<const LoadedPlugin *> plugins;
  Composition composition;
  std::unique_ptr<Journal> journal;
  std::unique_ptr<RunEnv> env;
  std::unique_ptr<PluginRuntime> runtime;
  std::unique_ptr<Executor> executor;
};

}  // namespace kuphost::test
