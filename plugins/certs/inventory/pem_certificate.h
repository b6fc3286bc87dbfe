// The one thing check-expiration needs from a certificate: its notAfter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace kuphost_plugins::certs {

// notAfter in Unix seconds, or why the PEM text holds no certificate
// (OpenSSL's reason). Never throws for bad input: one corrupt file must not
// cost the whole report.
std::variant<int64_t, std::string> pem_not_after(std::string_view pem);

// Decodes a kubeconfig's `client-certificate-data` into `out`; false when
// it is not base64.
bool base64_decode(std::string_view text, std::string &out);

}  // namespace kuphost_plugins::certs
