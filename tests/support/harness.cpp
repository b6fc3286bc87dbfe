#include "harness.h"

#include <kuphost/kuphost.h>

namespace kuphost::test {

Harness::Harness() : catalog({fixture_dir()}, false) {
  root = dir / "root";
  std::filesystem::create_directories(root);
  facts.node_name = "cp1";
  facts.os_id = "ubuntu";
  facts.family = "debian";
  facts.family_mask = KUP_DISTRO_DEBIAN;
  facts.role = Role::kFirstControlPlane;
  facts.etcd_mask = KUP_ETCD_STACKED;
  facts.arch = "amd64";
  facts.root = root;
}

void Harness::set_config(const std::string &yaml) {
  write_file(dir / "kuphost.yaml", yaml);
  config = load_config(dir / "kuphost.yaml", true);
}

const LoadedPlugin &Harness::load_fixture(const std::string &file) {
  const LoadedPlugin &p = catalog.load_file(fixture_dir() / file);
  plugins.push_back(&p);
  return p;
}

void Harness::compose(RunMode mode, const std::string &target) {
  validate_config(config, plugins);
  composition = kuphost::compose(plugins, facts, {});
  executor.reset();
  runtime.reset();
  env = std::make_unique<RunEnv>(NodeRoot(root), fs, runner, clock, facts, config);
  env->composition = &composition;
  env->mode = mode;
  env->target = target;
  if (mode == RunMode::kApply) {
    journal = std::make_unique<Journal>(fs, root / "var/lib/kuphost");
    env->journal = journal.get();
  }
  runtime = std::make_unique<PluginRuntime>(*env);
  runtime->init_all(composition);
  executor = std::make_unique<Executor>(*env, composition, *runtime);
}

ApplyResult Harness::apply(bool force) { return executor->apply(force); }

}  // namespace kuphost::test
