// kubeadm version [-o short|json|yaml], reporting the installed package.
#include <yaml-cpp/yaml.h>

#include <ostream>

#include "json_writer.h"
#include "kubeadm.h"
#include "node_state.h"

namespace kuphost::sandbox::sim {
namespace {

struct VersionInfo {
  std::string major, minor, git_version, git_commit, build_date, go_version;
};

VersionInfo info_for(const detail::KubeVersion &v) {
  return {std::to_string(v.major),
          std::to_string(v.minor),
          v.str(),
          detail::pod_suffix("kubeadm " + v.str(), 40),
          "2024-09-11T21:26:49Z",
          v.minor >= 32 ? "go1.23.4" : (v.minor == 31 ? "go1.22.8" : "go1.22.6")};
}

}  // namespace

int kubeadm_version(Invocation &inv, const std::vector<std::string> &args,
                    const std::optional<detail::KubeVersion> &binary) {
  std::string error;
  const auto flags = parse_flags(args, {{"output", 'o', true}, {"v", 'v', true}}, &error);
  if (!flags) return kubeadm_fail(inv, error);
  const auto version = binary ? binary : detail::KubeVersion::parse(detail::read_node_state(inv.root).package("kubeadm"));
  if (!version) return kubeadm_fail(inv, "the installed kubeadm version in node.yaml is not a version");
  const VersionInfo v = info_for(*version);
  const std::string platform = binary ? "windows/amd64" : "linux/amd64";
  const std::string output = flags->get("output");
  if (output.empty()) {
    inv.out << "kubeadm version: &version.Info{Major:\"" << v.major << "\", Minor:\"" << v.minor
            << "\", GitVersion:\"" << v.git_version << "\", GitCommit:\"" << v.git_commit
            << "\", GitTreeState:\"clean\", BuildDate:\"" << v.build_date << "\", GoVersion:\"" << v.go_version
            << "\", Compiler:\"gc\", Platform:\"" << platform << "\"}\n";
  } else if (output == "short") {
    inv.out << v.git_version << "\n";
  } else if (output == "json") {
    Json client = Json::object();
    client.set("major", v.major).set("minor", v.minor).set("gitVersion", v.git_version);
    client.set("gitCommit", v.git_commit).set("gitTreeState", "clean").set("buildDate", v.build_date);
    client.set("goVersion", v.go_version).set("compiler", "gc").set("platform", "linux/amd64");
    inv.out << Json::object().set("clientVersion", client).dump(2) << "\n";
  } else if (output == "yaml") {
    // Go's yaml marshaller sorts the keys and quotes strings that look like numbers or dates.
    YAML::Emitter e;
    e << YAML::BeginMap << YAML::Key << "clientVersion" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "buildDate" << YAML::Value << YAML::DoubleQuoted << v.build_date;
    e << YAML::Key << "compiler" << YAML::Value << "gc";
    e << YAML::Key << "gitCommit" << YAML::Value << v.git_commit;
    e << YAML::Key << "gitTreeState" << YAML::Value << "clean";
    e << YAML::Key << "gitVersion" << YAML::Value << v.git_version;
    e << YAML::Key << "goVersion" << YAML::Value << v.go_version;
    e << YAML::Key << "major" << YAML::Value << YAML::DoubleQuoted << v.major;
    e << YAML::Key << "minor" << YAML::Value << YAML::DoubleQuoted << v.minor;
    e << YAML::Key << "platform" << YAML::Value << platform;
    e << YAML::EndMap << YAML::EndMap;
    inv.out << e.c_str() << "\n\n";
  } else {
    return kubeadm_fail(inv, "invalid output format: " + output);
  }
  return 0;
}

}  // namespace kuphost::sandbox::sim
