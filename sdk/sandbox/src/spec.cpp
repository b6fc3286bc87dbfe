// The public checks on a Spec and the --nodes parser: everything create()
// verifies before it writes a byte.
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <system_error>

#include "kuphost/sandbox/sandbox.h"
#include "pki.h"
#include "real_packages.h"
#include "kuphost/sandbox/calico.h"
#include "version.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;

std::string one_of(const std::vector<std::string> &values) {
  std::string out;
  for (const auto &v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

bool contains(const std::vector<std::string> &values, std::string_view v) {
  for (const auto &x : values)
    if (x == v) return true;
  return false;
}

bool set_error(std::string *error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// A DNS label, as Kubernetes requires of node names.
bool valid_node_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool check_version(const std::string &text, std::string *error) {
  const auto v = detail::KubeVersion::parse(text);
  if (text.empty() || text[0] != 'v' || !v || !v->pre_release.empty())
    return set_error(error, "invalid kubernetes version '" + text + "'; use vMAJOR.MINOR.PATCH, e.g. v1.30.5");
  if (v->major != 1 || v->minor < 24)
    return set_error(error, "kubernetes version " + text +
                                " is not supported; use v1.24.0 or newer (the oldest on pkgs.k8s.io)");
  return true;
}

bool check_nodes(const std::vector<NodeSpec> &nodes, std::string *error) {
  if (nodes.empty()) return set_error(error, "no nodes given; pass at least one, e.g. cp1:first-control-plane");
  std::set<std::string> names;
  std::vector<std::string> firsts;
  for (const auto &n : nodes) {
    if (!valid_node_name(n.name))
      return set_error(error, "invalid node name '" + n.name +
                                  "'; use lowercase letters, digits and '-' (not first or last), at most 63");
    if (!contains(supported_roles(), n.role))
      return set_error(error, "unknown role '" + n.role + "' for node '" + n.name + "'; use one of " +
                                  one_of(supported_roles()));
    if (!names.insert(n.name).second)
      return set_error(error, "duplicate node name '" + n.name + "'; node names must be unique");
    if (n.role == "first-control-plane") firsts.push_back(n.name);
  }
  if (firsts.empty())
    return set_error(error, "no first-control-plane node; exactly one node must have role first-control-plane");
  if (firsts.size() > 1)
    return set_error(error, std::to_string(firsts.size()) + " first-control-plane nodes (" + one_of(firsts) +
                                "); exactly one may have it, use other-control-plane for the rest");
  return true;
}

bool check_dir(const fs::path &dir, std::string *error) {
  if (dir.empty()) return set_error(error, "no sandbox directory given");
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      return set_error(error, "sandbox directory " + dir.string() + " exists and is not a directory");
    if (!fs::is_empty(dir, ec) || ec)
      return set_error(error, "sandbox directory " + dir.string() +
                                  " exists and is not empty; pass a new or empty directory");
    return true;
  }
  const fs::path parent = fs::absolute(dir, ec).parent_path();
  if (!fs::is_directory(parent, ec))
    return set_error(error, "parent directory " + parent.string() + " of the sandbox does not exist; create it first");
  if (::access(parent.c_str(), W_OK) != 0)
    return set_error(error, "cannot create the sandbox in " + parent.string() + ": directory not writable");
  return true;
}

bool check_node_sim(const fs::path &path, std::string *error) {
  if (path.empty())
    return set_error(error, "node_sim is not set; pass the path of the kuphost-node-sim executable");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return set_error(error, "node simulator " + path.string() + " does not exist; build kuphost-node-sim or pass its path");
  if (::access(path.c_str(), X_OK) != 0)
    return set_error(error, "node simulator " + path.string() + " is not executable");
  return true;
}

// The package family whose real tools a sandbox of `distro` runs (windows
// sandboxes keep Ubuntu control planes).
std::string real_package_family(const std::string &distro) {
  return distro == "rhel-9" ? "rhel" : "debian";
}

bool check_real_package_tools(const std::string &distro, std::string *error) {
  const std::string family = real_package_family(distro);
  const auto missing = detail::missing_real_package_tools(family);
  if (missing.empty()) return true;
  std::string names;
  for (const auto &m : missing) names += (names.empty() ? "" : ", ") + m;
  return set_error(error, "--packages real on " + distro + " needs " + names + " on this machine; install them with " +
                              "scripts/install-deps.sh (Debian packages apt-utils gnupg" +
                              (family == "rhel" ? std::string(" rpm createrepo-c dnf") : std::string()) + ")");
}

}  // namespace

const std::vector<std::string> &supported_distros() {
  static const std::vector<std::string> v{"ubuntu-24.04", "debian-12", "rhel-9", "windows-2022"};
  return v;
}
const std::vector<std::string> &supported_roles() {
  static const std::vector<std::string> v{"first-control-plane", "other-control-plane", "worker"};
  return v;
}
const std::vector<std::string> &supported_etcd_topologies() {
  static const std::vector<std::string> v{"stacked", "external"};
  return v;
}
const std::vector<std::string> &supported_package_sources() {
  static const std::vector<std::string> v{"simulated", "real"};
  return v;
}

const std::vector<std::string> &supported_key_types() {
  static const std::vector<std::string> v{"rsa-2048", "ecdsa-p256"};
  return v;
}

bool validate(const Spec &spec, std::string *error) {
  try {
    if (!check_version(spec.kubernetes_version, error)) return false;
    if (!contains(supported_distros(), spec.distro))
      return set_error(error, "unknown distro '" + spec.distro + "'; use one of " + one_of(supported_distros()));
    if (!contains(supported_etcd_topologies(), spec.etcd))
      return set_error(error, "unknown etcd topology '" + spec.etcd + "'; use one of " +
                                  one_of(supported_etcd_topologies()));
    if (!detail::parse_key_type(spec.key_type))
      return set_error(error, "unknown key type '" + spec.key_type + "'; use one of " +
                                  one_of(supported_key_types()));
    if (!contains(supported_package_sources(), spec.packages))
      return set_error(error, "unknown package source '" + spec.packages + "'; use one of " +
                                  one_of(supported_package_sources()));
    if (spec.packages == "real" && !check_real_package_tools(spec.distro, error)) return false;
    if (!spec.calico.empty() && spec.calico != "operator" && spec.calico != "manifest")
      return set_error(error, "unknown Calico install method '" + spec.calico + "'; use operator or manifest");
    if (!spec.calico.empty() && !valid_calico_version(spec.calico_version, error)) return false;
    if (spec.cert_validity_days < 1 || spec.cert_validity_days > 3650)
      return set_error(error, "certificate validity of " + std::to_string(spec.cert_validity_days) +
                                  " days is out of range; use 1 to 3650 (the CAs' 10 years)");
    return check_nodes(spec.nodes, error) && check_node_sim(spec.node_sim, error) && check_dir(spec.dir, error);
  } catch (const std::exception &e) {
    return set_error(error, std::string("cannot check the sandbox spec: ") + e.what());
  }
}

std::optional<NodeSpec> parse_node(std::string_view item, std::string *error) {
  const auto colon = item.find(':');
  if (colon == std::string_view::npos) {
    set_error(error, "node '" + std::string(item) + "' has no role; write NAME:ROLE, e.g. cp1:first-control-plane");
    return std::nullopt;
  }
  NodeSpec node{std::string(item.substr(0, colon)), std::string(item.substr(colon + 1))};
  if (!valid_node_name(node.name)) {
    set_error(error, "invalid node name '" + node.name +
                         "'; use lowercase letters, digits and '-' (not first or last), at most 63");
    return std::nullopt;
  }
  if (!contains(supported_roles(), node.role)) {
    set_error(error, "unknown role '" + node.role + "' for node '" + node.name + "'; use one of " +
                         one_of(supported_roles()));
    return std::nullopt;
  }
  return node;
}

std::optional<std::vector<NodeSpec>> parse_node_list(std::string_view text, std::string *error) {
  try {
    std::vector<NodeSpec> nodes;
    size_t start = 0;
    while (start <= text.size()) {
      const auto comma = text.find(',', start);
      const auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (item.empty()) {
        set_error(error, "empty entry in node list '" + std::string(text) +
                             "'; write NAME:ROLE,NAME:ROLE, e.g. cp1:first-control-plane,w1:worker");
        return std::nullopt;
      }
      auto node = parse_node(item, error);
      if (!node) return std::nullopt;
      nodes.push_back(std::move(*node));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (!check_nodes(nodes, error)) return std::nullopt;
    return nodes;
  } catch (const std::exception &e) {
    set_error(error, std::string("cannot parse the node list: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace kuphost::sandbox
