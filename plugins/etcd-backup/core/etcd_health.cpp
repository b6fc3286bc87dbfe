#include "etcd_health.h"

#include <yaml-cpp/yaml.h>

namespace kuphost_plugins::etcd_backup {
namespace {

Command etcdctl(const EtcdClientTls &member, std::vector<std::string> words) {
  Command c;
  c.argv = {"etcdctl", "--endpoints=" + member.endpoint, "--cacert=" + member.ca_cert.string()};
  if (!member.client_cert.empty()) c.argv.push_back("--cert=" + member.client_cert.string());
  if (!member.client_key.empty()) c.argv.push_back("--key=" + member.client_key.string());
  c.argv.insert(c.argv.end(), {"--dial-timeout=2s", "--command-timeout=5s"});
  c.argv.insert(c.argv.end(), words.begin(), words.end());
  c.env = {"ETCDCTL_API=3"};
  c.timeout = std::chrono::seconds(15);
  c.read_only = true;
  return c;
}

}  // namespace

bool etcd_healthy(CommandRunner &runner, const EtcdClientTls &member) {
  try {
    return runner.run(etcdctl(member, {"endpoint", "health"})).succeeded();
  } catch (const ProgramNotFound &) {
    return false;
  }
}

std::optional<std::int64_t> live_revision(CommandRunner &runner, const EtcdClientTls &member) {
  try {
    const CommandResult r = runner.run(etcdctl(member, {"endpoint", "status", "-w", "json"}));
    if (!r.succeeded()) return std::nullopt;
    // [{"Endpoint":"…","Status":{"header":{…,"revision":N,…},…}}]; yaml-cpp reads JSON.
    const YAML::Node all = YAML::Load(r.out);
    if (!all.IsSequence() || all.size() == 0) return std::nullopt;
    const YAML::Node revision = all[0]["Status"]["header"]["revision"];
    if (!revision) return std::nullopt;
    return revision.as<std::int64_t>();
  } catch (const ProgramNotFound &) {
    return std::nullopt;
  } catch (const YAML::Exception &) {
    return std::nullopt;
  }
}

bool wait_for_health(CommandRunner &runner, const EtcdClientTls &member, bool healthy,
                     std::chrono::milliseconds timeout, const std::function<void(std::chrono::milliseconds)> &sleep,
                     const std::function<std::chrono::milliseconds()> &elapsed) {
  const auto start = elapsed();
  while (true) {
    if (etcd_healthy(runner, member) == healthy) return true;
    if (elapsed() - start >= timeout) return false;
    sleep(std::chrono::milliseconds(500));
  }
}

}  // namespace kuphost_plugins::etcd_backup
