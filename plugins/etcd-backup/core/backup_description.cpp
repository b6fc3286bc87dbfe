#include "backup_description.h"

#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace kuphost_plugins::etcd_backup {

std::string format_description(const BackupDescription &d) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "kind" << YAML::Value << "KuphostBackup";
  out << YAML::Key << "format" << YAML::Value << 1;
  out << YAML::Key << "node" << YAML::Value << d.node;
  out << YAML::Key << "created" << YAML::Value << d.created;
  out << YAML::Key << "kubernetesVersion" << YAML::Value << d.kubernetes_version;
  out << YAML::Key << "etcd" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topology" << YAML::Value << d.topology;
  out << YAML::Key << "endpoint" << YAML::Value << d.endpoint;
  out << YAML::Key << "method" << YAML::Value << d.method;
  out << YAML::Key << "snapshot" << YAML::Value << std::string(kSnapshotName);
  out << YAML::Key << "snapshotSha256" << YAML::Value << d.snapshot_sha256;
  out << YAML::Key << "snapshotBytes" << YAML::Value << d.snapshot_bytes;
  out << YAML::Key << "revision" << YAML::Value << d.revision;
  out << YAML::Key << "totalKeys" << YAML::Value << d.total_keys;
  out << YAML::Key << "memberName" << YAML::Value << d.member_name;
  out << YAML::Key << "dataDir" << YAML::Value << d.data_dir;
  out << YAML::Key << "peerURL" << YAML::Value << d.peer_url;
  out << YAML::Key << "initialCluster" << YAML::Value << d.initial_cluster;
  out << YAML::Key << "clusterSize" << YAML::Value << d.cluster_size;
  out << YAML::Key << "dataDirCopy" << YAML::Value << d.etcd_copy;
  out << YAML::Key << "dataDirCopyInSet" << YAML::Value << d.data_copy_in_set;
  out << YAML::EndMap;
  out << YAML::Key << "manifestsCopy" << YAML::Value << d.manifests_copy;
  out << YAML::Key << "files" << YAML::Value << YAML::BeginSeq;
  for (const auto &f : d.files) out << f;
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

BackupDescription parse_description(std::string_view text) {
  const YAML::Node root = YAML::Load(std::string(text));
  if (!root.IsMap() || root["kind"].as<std::string>("") != "KuphostBackup")
    throw std::runtime_error("not a kuphost backup description (kind: KuphostBackup)");
  BackupDescription d;
  d.node = root["node"].as<std::string>("");
  d.created = root["created"].as<std::string>("");
  d.kubernetes_version = root["kubernetesVersion"].as<std::string>("");
  const YAML::Node etcd = root["etcd"];
  d.topology = etcd["topology"].as<std::string>("");
  d.endpoint = etcd["endpoint"].as<std::string>("");
  d.method = etcd["method"].as<std::string>("");
  d.snapshot_sha256 = etcd["snapshotSha256"].as<std::string>("");
  d.snapshot_bytes = etcd["snapshotBytes"].as<std::uint64_t>(0);
  d.revision = etcd["revision"].as<std::int64_t>(-1);
  d.total_keys = etcd["totalKeys"].as<std::int64_t>(-1);
  d.member_name = etcd["memberName"].as<std::string>("");
  d.data_dir = etcd["dataDir"].as<std::string>("");
  d.peer_url = etcd["peerURL"].as<std::string>("");
  d.initial_cluster = etcd["initialCluster"].as<std::string>("");
  d.cluster_size = etcd["clusterSize"].as<std::size_t>(1);
  d.etcd_copy = etcd["dataDirCopy"].as<std::string>("");
  d.data_copy_in_set = etcd["dataDirCopyInSet"].as<bool>(false);
  d.manifests_copy = root["manifestsCopy"].as<std::string>("");
  if (const auto files = root["files"]; files && files.IsSequence())
    for (const auto &f : files) d.files.push_back(f.as<std::string>());
  return d;
}

}  // namespace kuphost_plugins::etcd_backup
