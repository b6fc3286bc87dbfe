#include "facts/node_facts.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <kuphost/kuphost.h>

#include "services/command_runner.h"
#include "services/file_system.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace {

std::map<std::string, std::string> parse_os_release(const std::string &text) {
  std::map<std::string, std::string> out;
  for (const auto &line : split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = std::string(trim(line.substr(eq + 1)));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    out[std::string(trim(line.substr(0, eq)))] = value;
  }
  return out;
}

std::string machine_arch() {
  struct utsname u {};
  if (::uname(&u) != 0) return "unknown";
  const std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "armv7l") return "arm";
  return m;
}

// The image tag of the first container in a static-pod manifest.
std::optional<Version> manifest_version(FileSystem &fs, const std::filesystem::path &file) {
  std::string text, err;
  if (!fs.read(file, &text, &err)) return std::nullopt;
  try {
    const YAML::Node pod = YAML::Load(text);
    const auto image = pod["spec"]["containers"][0]["image"];
    if (image && image.IsScalar()) return version_from_image(image.as<std::string>());
  } catch (const YAML::Exception &) {
  }
  return std::nullopt;
}

std::optional<Version> probe(CommandRunner &runner, std::vector<std::string> argv) {
  Command cmd;
  cmd.argv = std::move(argv);
  cmd.timeout = std::chrono::seconds(10);
  const auto r = runner.run(cmd);
  if (!r.ok()) return std::nullopt;
  // "v1.30.5", "Kubernetes v1.30.5", or kubectl's JSON.
  std::string text = r.out;
  if (text.find('{') != std::string::npos) {
    try {
      const YAML::Node j = YAML::Load(text);
      if (j["clientVersion"] && j["clientVersion"]["gitVersion"])
        return parse_version(j["clientVersion"]["gitVersion"].as<std::string>());
    } catch (const YAML::Exception &) {
    }
    return std::nullopt;
  }
  for (const auto &word : split(text, ' '))
    if (auto v = parse_version(trim(word))) return v;
  return std::nullopt;
}

}  // namespace

std::string role_name(Role role) {
  switch (role) {
    case Role::kFirstControlPlane: return "first-control-plane";
    case Role::kOtherControlPlane: return "other-control-plane";
    case Role::kWorker: return "worker";
  }
  return "worker";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "first-control-plane") return Role::kFirstControlPlane;
  if (text == "other-control-plane") return Role::kOtherControlPlane;
  if (text == "worker") return Role::kWorker;
  return std::nullopt;
}

std::string distro_family(const std::string &id, const std::string &id_like) {
  std::vector<std::string> names{id};
  for (auto &n : split(id_like, ' ')) names.push_back(n);
  for (const auto &n : names) {
    if (n == "debian" || n == "ubuntu") return "debian";
    if (n == "rhel" || n == "fedora" || n == "centos" || n == "rocky" || n == "almalinux") return "rhel";
    if (n == "suse" || n == "sles" || n == "opensuse" || n == "opensuse-leap") return "suse";
    if (n == "windows") return "windows";
  }
  return "unknown";
}

uint32_t family_mask(const std::string &family) {
  if (family == "debian") return KUP_DISTRO_DEBIAN;
  if (family == "rhel") return KUP_DISTRO_RHEL;
  if (family == "suse") return KUP_DISTRO_SUSE;
  if (family == "windows") return KUP_DISTRO_WINDOWS;
  return 0;
}

uint32_t NodeFacts::role_mask() const {
  switch (role) {
    case Role::kFirstControlPlane: return KUP_ROLE_FIRST_CONTROL_PLANE;
    case Role::kOtherControlPlane: return KUP_ROLE_OTHER_CONTROL_PLANE;
    case Role::kWorker: return KUP_ROLE_WORKER;
  }
  return 0;
}

std::string NodeFacts::etcd_name() const {
  if (etcd_mask & KUP_ETCD_STACKED) return "stacked";
  if (etcd_mask & KUP_ETCD_EXTERNAL) return "external";
  return "none";
}

std::map<std::string, std::string> NodeFacts::as_map() const {
  std::map<std::string, std::string> m{
      {"node.name", node_name},       {"node.role", role_name(role)},
      {"os.id", os_id},               {"os.version_id", os_version_id},
      {"os.family", family},          {"arch", arch},
      {"etcd.topology", etcd_name()}, {"run.root", root.string()},
      {"run.sandbox", sandbox ? "true" : "false"},
      {"run.allow-experimental-upgrades", allow_experimental_upgrades ? "true" : "false"},
      {"run.allow-release-candidate-upgrades", allow_release_candidate_upgrades ? "true" : "false"},
      {"run.privileged-user", privileged_user ? "true" : "false"}};
  if (!ignore_preflight_errors.empty()) m["run.ignore-preflight-errors"] = join(ignore_preflight_errors, ",");
  if (!kubeconfig.empty()) m["run.kubeconfig"] = kubeconfig;
  if (!apiserver_endpoint.empty()) m["node.apiserver-endpoint"] = apiserver_endpoint;
  const std::pair<const char *, const std::optional<Version> *> versions[] = {
      {"k8s.control_plane.version", &control_plane_version},
      {"k8s.kubeadm.version", &kubeadm_version},
      {"k8s.kubelet.version", &kubelet_version},
      {"k8s.kubectl.version", &kubectl_version}};
  for (const auto &[key, v] : versions)
    if (*v) m[key] = (*v)->str();
  return m;
}

NodeFacts gather_facts(const NodeRoot &root, FileSystem &fs, const FactOptions &options) {
  NodeFacts f;
  f.root = root.root();
  f.sandbox = options.sandbox;
  f.privileged_user = ::geteuid() == 0;
  f.ignore_preflight_errors = options.ignore_preflight_errors;
  f.allow_experimental_upgrades = options.allow_experimental_upgrades;
  f.allow_release_candidate_upgrades = options.allow_release_candidate_upgrades;
  f.kubeconfig = options.kubeconfig;
  f.apiserver_endpoint = options.apiserver_endpoint;
  std::string text, err;
  const auto os_release = *root.map("/etc/os-release");
  if (!fs.read(os_release, &text, &err))
    fail_input("cannot read " + os_release.string() +
               ": kuphost needs the node's os-release to know its distro; check --root");
  const auto os = parse_os_release(text);
  auto get = [&](const char *k) { auto it = os.find(k); return it == os.end() ? std::string() : it->second; };
  f.os_id = get("ID");
  f.os_version_id = get("VERSION_ID");
  f.os_pretty_name = get("PRETTY_NAME");
  f.family = distro_family(f.os_id, get("ID_LIKE"));
  f.family_mask = family_mask(f.family);
  f.arch = machine_arch();

  f.node_name = options.node_name;
  if (f.node_name.empty() && fs.read(*root.map("/etc/hostname"), &text, &err))
    f.node_name = std::string(trim(text));
  if (f.node_name.empty()) f.node_name = "localhost";

  const auto manifests = *root.map("/etc/kubernetes/manifests");
  const bool has_apiserver = fs.stat(manifests / "kube-apiserver.yaml").type == FileStat::Type::kRegular;
  if (options.role_override) {
    f.role = *options.role_override;
    f.role_source = "from " + options.role_override_source;
  } else if (has_apiserver) {
    f.role = Role::kFirstControlPlane;
    f.role_source =
        "kube-apiserver.yaml present; first control plane assumed (pass --role other-control-plane "
        "on the others)";
  } else {
    f.role = Role::kWorker;
    f.role_source = "no kube-apiserver.yaml in /etc/kubernetes/manifests";
  }
  if (f.role != Role::kWorker) {
    if (fs.stat(manifests / "etcd.yaml").type == FileStat::Type::kRegular) {
      f.etcd_mask = KUP_ETCD_STACKED;
      f.etcd_source = "etcd.yaml static pod present";
    } else {
      f.etcd_mask = KUP_ETCD_EXTERNAL;
      f.etcd_source = "no etcd.yaml static pod";
    }
    f.control_plane_version = manifest_version(fs, manifests / "kube-apiserver.yaml");
  } else {
    f.etcd_source = "worker: no etcd member";
  }
  return f;
}

void probe_versions(NodeFacts &f, CommandRunner &runner) {
  if (f.family == "windows") return;  // the binaries live on the Windows node, not here
  f.kubeadm_version = probe(runner, {"kubeadm", "version", "-o", "short"});
  f.kubelet_version = probe(runner, {"kubelet", "--version"});
  f.kubectl_version = probe(runner, {"kubectl", "version", "--client", "-o", "json"});
}

}  // namespace kuphost
