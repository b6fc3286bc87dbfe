// Base64 as kubeconfig's *-data fields use it, via OpenSSL's EVP_EncodeBlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kuphost::sandbox::detail {

std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt if malformed

}  // namespace kuphost::sandbox::detail
