#include "expiration_report.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>

#include "go_text.h"

namespace kuphost_plugins::certs {
namespace {

constexpr const char *kApiVersion = "output.kubeadm.k8s.io/v1alpha3";
constexpr const char *kKind = "CertificateExpirationInfo";

// kubeadm: fmt.Sprintf("%-8v", yesNo(...)), so the last column keeps its
// padding.
std::string yes_no(bool yes) { return yes ? "yes     " : "no      "; }

// The columns after the name, '\t'-separated; empty for a row without dates.
std::string date_cells(const CertStatus &c) {
  return go_expiry_time(c.not_after_unix) + "\t" + short_human_duration(c.residual_seconds);
}

std::string marker(const CertStatus &c) { return c.missing ? "!MISSING! " : "!UNREADABLE! "; }

std::vector<std::string> certificate_table(const ExpirationInventory &inv) {
  std::vector<std::string> lines{"CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED"};
  for (const auto &c : inv.certificates)
    lines.push_back(c.readable() ? c.name + "\t" + date_cells(c) + "\t" + c.ca_name + "\t" + yes_no(c.externally_managed)
                                 : marker(c) + c.name + "\t\t\t\t");
  return tab_layout(lines);
}

std::vector<std::string> authority_table(const ExpirationInventory &inv) {
  std::vector<std::string> lines{"CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED"};
  for (const auto &c : inv.authorities)
    lines.push_back(c.readable() ? c.name + "\t" + date_cells(c) + "\t" + yes_no(c.externally_managed)
                                 : marker(c) + c.name + "\t\t\t");
  return tab_layout(lines);
}

// Not in kubeadm's output: kubeadm leaves this certificate to the kubelet.
std::vector<std::string> kubelet_table(const KubeletClientStatus &k) {
  const CertStatus &c = k.cert;
  std::vector<std::string> lines{"KUBELET CLIENT CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY"};
  lines.push_back(c.readable() ? c.node_path + "\t" + date_cells(c) + "\t" + c.ca_name
                               : marker(c) + c.node_path + "\t\t\t");
  return tab_layout(lines);
}

std::string json_string(const std::string &s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_cert(const CertStatus &c, const std::string &warning = {}) {
  std::string j = "{\"name\":" + json_string(c.name) + ",\"expirationDate\":" +
                  (c.readable() ? json_string(rfc3339_utc(c.not_after_unix)) : "null") +
                  ",\"residualTime\":" + std::to_string(c.readable() ? c.residual_seconds : 0) +
                  ",\"externallyManaged\":" + (c.externally_managed ? "true" : "false");
  if (!c.ca_name.empty()) j += ",\"caName\":" + json_string(c.ca_name);
  j += std::string(",\"missing\":") + (c.missing ? "true" : "false") + ",\"path\":" + json_string(c.node_path);
  if (!c.error.empty()) j += ",\"error\":" + json_string(c.error);
  if (!warning.empty()) j += ",\"warning\":" + json_string(warning);
  return j + "}";
}

std::string json_list(const std::vector<CertStatus> &certs) {
  std::string j = "[";
  for (std::size_t i = 0; i < certs.size(); ++i) j += (i ? "," : "") + json_cert(certs[i]);
  return j + "]";
}

void yaml_cert(YAML::Emitter &y, const CertStatus &c, const std::string &warning = {}) {
  y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
  y << YAML::Key << "expirationDate" << YAML::Value;
  if (c.readable()) y << rfc3339_utc(c.not_after_unix);
  else y << YAML::Null;
  y << YAML::Key << "residualTime" << YAML::Value << (c.readable() ? c.residual_seconds : 0);
  y << YAML::Key << "externallyManaged" << YAML::Value << c.externally_managed;
  if (!c.ca_name.empty()) y << YAML::Key << "caName" << YAML::Value << c.ca_name;
  y << YAML::Key << "missing" << YAML::Value << c.missing;
  y << YAML::Key << "path" << YAML::Value << c.node_path;
  if (!c.error.empty()) y << YAML::Key << "error" << YAML::Value << c.error;
  if (!warning.empty()) y << YAML::Key << "warning" << YAML::Value << warning;
  y << YAML::EndMap;
}

void yaml_list(YAML::Emitter &y, const char *key, const std::vector<CertStatus> &certs) {
  y << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto &c : certs) yaml_cert(y, c);
  y << YAML::EndSeq;
}

}  // namespace

std::vector<std::string> expiration_text(const ExpirationInventory &inv) {
  std::vector<std::string> out = certificate_table(inv);
  out.emplace_back();
  for (auto &line : authority_table(inv)) out.push_back(std::move(line));
  out.emplace_back();
  for (auto &line : kubelet_table(inv.kubelet_client)) out.push_back(std::move(line));
  if (!inv.kubelet_client.warning.empty()) out.push_back("WARNING: " + inv.kubelet_client.warning);
  for (const auto *list : {&inv.certificates, &inv.authorities})
    for (const auto &c : *list)
      if (!c.error.empty()) out.push_back("ERROR: " + c.name + ": " + c.node_path + ": " + c.error);
  if (const auto &k = inv.kubelet_client.cert; !k.error.empty())
    out.push_back("ERROR: " + k.name + ": " + k.node_path + ": " + k.error);
  return out;
}

std::string expiration_json(const ExpirationInventory &inv) {
  return std::string("{\"kind\":") + json_string(kKind) + ",\"apiVersion\":" + json_string(kApiVersion) +
         ",\"certificates\":" + json_list(inv.certificates) +
         ",\"certificateAuthorities\":" + json_list(inv.authorities) +
         ",\"kubeletClientCertificate\":" + json_cert(inv.kubelet_client.cert, inv.kubelet_client.warning) + "}";
}

std::string expiration_yaml(const ExpirationInventory &inv) {
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "kind" << YAML::Value << kKind;
  y << YAML::Key << "apiVersion" << YAML::Value << kApiVersion;
  yaml_list(y, "certificates", inv.certificates);
  yaml_list(y, "certificateAuthorities", inv.authorities);
  y << YAML::Key << "kubeletClientCertificate" << YAML::Value;
  yaml_cert(y, inv.kubelet_client.cert, inv.kubelet_client.warning);
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace kuphost_plugins::certs
