// What a TLS server presents: the serial of the certificate kube-apiserver
// serves, so that a restart can be shown to have picked the renewed one up.
#pragma once

#include <optional>
#include <string>

namespace kuphost_plugins::certs {

// Connects to "host:port" ("10.0.0.5:6443", "[fd00::5]:6443"), completes a
// TLS handshake (no client certificate, no chain check: only the serial is
// compared) and returns the leaf's serial in upper-case hex. nullopt when
// nothing accepts the connection or the handshake fails; *why says which.
std::optional<std::string> served_serial_hex(const std::string &endpoint, int timeout_ms, std::string *why);

}  // namespace kuphost_plugins::certs
