// The client certificate and key a kubeadm kubeconfig embeds
// (client-certificate-data / client-key-data of its current user), read and
// replaced without touching anything else in the file (certs.md §2).
#pragma once

#include <string>
#include <string_view>

namespace kuphost_plugins::certs {

struct EmbeddedCredentials {
  std::string cert_pem, key_pem;        // decoded
  std::string cert_base64, key_base64;  // as written in the file
};

// Throws RenewalError (renew_certificate.h) when the current user has no
// embedded certificate and key (e.g. it refers to files instead) or they are
// not base64.
EmbeddedCredentials embedded_credentials(std::string_view kubeconfig_yaml);

// The file with the current user's two values replaced by the new PEMs,
// base64-encoded on one line as kubeadm writes them; every other byte stays.
// Throws RenewalError when a value is not found exactly once, or when the
// result does not read back as the new credentials.
std::string with_credentials(std::string_view kubeconfig_yaml, std::string_view cert_pem, std::string_view key_pem);

std::string base64_encode(std::string_view data);

}  // namespace kuphost_plugins::certs
