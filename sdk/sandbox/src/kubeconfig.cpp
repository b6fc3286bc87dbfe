#include "kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "base64.h"

namespace kuphost::sandbox::detail {
namespace {

constexpr const char *kClusterName = "kubernetes";

std::string decoded(const YAML::Node &node, const char *field) {
  if (!node[field]) return {};
  auto text = base64_decode(node[field].as<std::string>());
  if (!text) throw std::runtime_error(std::string("kubeconfig field ") + field + " is not valid base64");
  return *text;
}

}  // namespace

std::string render_kubeconfig(const Kubeconfig &config) {
  const std::string context = config.user + "@" + kClusterName;
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "certificate-authority-data" << YAML::Value << base64_encode(config.ca_pem);
  out << YAML::Key << "server" << YAML::Value << config.server;
  out << YAML::EndMap;
  out << YAML::Key << "name" << YAML::Value << kClusterName;
  out << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "cluster" << YAML::Value << kClusterName;
  out << YAML::Key << "user" << YAML::Value << config.user;
  out << YAML::EndMap;
  out << YAML::Key << "name" << YAML::Value << context;
  out << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << context;
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "preferences" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << config.user;
  out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
  if (config.client_cert_file.empty()) {
    out << YAML::Key << "client-certificate-data" << YAML::Value << base64_encode(config.client_cert_pem);
    out << YAML::Key << "client-key-data" << YAML::Value << base64_encode(config.client_key_pem);
  } else {
    out << YAML::Key << "client-certificate" << YAML::Value << config.client_cert_file;
    out << YAML::Key << "client-key" << YAML::Value << config.client_cert_file;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::EndMap;
  if (!out.good()) throw std::runtime_error("cannot emit kubeconfig: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

Kubeconfig parse_kubeconfig(const std::string &yaml_text) {
  try {
    const YAML::Node root = YAML::Load(yaml_text);
    const YAML::Node cluster = root["clusters"][0]["cluster"];
    const YAML::Node user = root["users"][0];
    if (!cluster || !user) throw std::runtime_error("kubeconfig has no cluster or user");
    Kubeconfig config;
    config.server = cluster["server"].as<std::string>("");
    config.ca_pem = decoded(cluster, "certificate-authority-data");
    config.user = user["name"].as<std::string>("");
    config.client_cert_pem = decoded(user["user"], "client-certificate-data");
    config.client_key_pem = decoded(user["user"], "client-key-data");
    config.client_cert_file = user["user"]["client-certificate"].as<std::string>("");
    return config;
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(std::string("malformed kubeconfig: ") + e.what());
  }
}

}  // namespace kuphost::sandbox::detail
