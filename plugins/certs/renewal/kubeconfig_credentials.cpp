#include "kubeconfig_credentials.h"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include "inventory/kubeconfig_user.h"
#include "inventory/pem_certificate.h"
#include "renew_certificate.h"

namespace kuphost_plugins::certs {
namespace {

std::string scalar(const YAML::Node &user, const char *key) {
  const auto value = user[key];
  if (!value || !value.IsScalar()) {
    const std::string file_key = std::string(key).substr(0, std::string(key).size() - 5);  // "-data"
    if (user[file_key])
      throw RenewalError(std::string("the user's ") + file_key +
                         " is a file reference; kuphost renews only embedded credentials, as kubeadm writes them");
    throw RenewalError(std::string("the user has no ") + key);
  }
  return value.as<std::string>();
}

std::string decoded(const std::string &text, const char *key) {
  std::string out;
  if (!base64_decode(text, out)) throw RenewalError(std::string(key) + " is not base64");
  return out;
}

// Replaces `old_value` after "<key>: " (the one place it occurs).
void replace_value(std::string &text, const char *key, const std::string &old_value, const std::string &new_value) {
  const std::string needle = std::string(key) + ": " + old_value;
  const auto at = text.find(needle);
  if (at == std::string::npos || text.find(needle, at + 1) != std::string::npos)
    throw RenewalError(std::string("cannot find the user's ") + key + " exactly once on one line");
  text.replace(at + needle.size() - old_value.size(), old_value.size(), new_value);
}

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

EmbeddedCredentials embedded_credentials(std::string_view kubeconfig_yaml) {
  YAML::Node config;
  try {
    config = YAML::Load(std::string(kubeconfig_yaml));
  } catch (const YAML::Exception &e) {
    throw RenewalError(std::string("not YAML: ") + e.what());
  }
  const auto found = kubeconfig_current_user(config);
  if (!found || !found->IsMap()) throw RenewalError("the kubeconfig has no user");
  const YAML::Node &user = *found;
  EmbeddedCredentials c;
  c.cert_base64 = scalar(user, "client-certificate-data");
  c.key_base64 = scalar(user, "client-key-data");
  c.cert_pem = decoded(c.cert_base64, "client-certificate-data");
  c.key_pem = decoded(c.key_base64, "client-key-data");
  return c;
}

std::string with_credentials(std::string_view kubeconfig_yaml, std::string_view cert_pem, std::string_view key_pem) {
  const EmbeddedCredentials old = embedded_credentials(kubeconfig_yaml);
  std::string text(kubeconfig_yaml);
  replace_value(text, "client-certificate-data", old.cert_base64, base64_encode(cert_pem));
  replace_value(text, "client-key-data", old.key_base64, base64_encode(key_pem));
  const EmbeddedCredentials now = embedded_credentials(text);
  if (now.cert_pem != cert_pem || now.key_pem != key_pem)
    throw RenewalError("the rewritten kubeconfig does not read back as the new credentials");
  return text;
}

}  // namespace kuphost_plugins::certs
