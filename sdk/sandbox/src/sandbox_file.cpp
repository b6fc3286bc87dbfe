#include "sandbox_file.h"

#include <stdexcept>

#include "fs_util.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {

const SandboxNode *SandboxFile::find(std::string_view name) const {
  for (const auto &n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

std::filesystem::path sandbox_file_path(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "sandbox.yaml";
}

std::string render_sandbox_file(const SandboxFile &file) {
  YAML::Node root;
  root["kubernetesVersion"] = file.kubernetes_version;
  root["distro"] = file.distro;
  root["etcd"] = file.etcd;
  root["keyType"] = file.key_type;
  root["packages"] = file.packages;
  root["certificateValidityDays"] = file.cert_validity_days;
  root["createdAt"] = file.created_at;
  YAML::Node nodes(YAML::NodeType::Sequence);
  for (const auto &n : file.nodes) {
    YAML::Node node;
    node["name"] = n.name;
    node["role"] = n.role;
    node["distro"] = n.distro;
    node["address"] = n.address;
    if (n.apiserver_port > 0) node["apiserverPort"] = n.apiserver_port;
    if (n.has_etcd_member()) {
      node["etcdClientPort"] = n.etcd_client_port;
      node["etcdPeerPort"] = n.etcd_peer_port;
    }
    nodes.push_back(node);
  }
  root["nodes"] = nodes;
  return emit_yaml(root);
}

SandboxFile parse_sandbox_file(const std::string &text) {
  const std::string what = "sandbox.yaml";
  const YAML::Node root = load_yaml(text, what);
  SandboxFile file;
  file.kubernetes_version = required_string(root, "kubernetesVersion", what);
  file.distro = required_string(root, "distro", what);
  file.etcd = required_string(root, "etcd", what);
  file.key_type = root["keyType"].as<std::string>("rsa-2048");
  file.packages = root["packages"].as<std::string>("simulated");
  file.cert_validity_days = root["certificateValidityDays"].as<int>(365);
  file.created_at = root["createdAt"].as<std::string>("");
  if (!root["nodes"] || !root["nodes"].IsSequence()) throw std::runtime_error(what + ": missing list 'nodes'");
  for (const auto &n : root["nodes"]) {
    const std::string node_what = what + " node";
    SandboxNode node{required_string(n, "name", node_what), required_string(n, "role", node_what),
                     required_string(n, "distro", node_what), n["address"].as<std::string>("")};
    node.etcd_client_port = n["etcdClientPort"].as<int>(0);
    node.etcd_peer_port = n["etcdPeerPort"].as<int>(0);
    node.apiserver_port = n["apiserverPort"].as<int>(0);
    file.nodes.push_back(std::move(node));
  }
  return file;
}

SandboxFile read_sandbox_file(const std::filesystem::path &sandbox_dir) {
  return parse_sandbox_file(read_file(sandbox_file_path(sandbox_dir)));
}

}  // namespace kuphost::sandbox::detail
