// `kuphost certs check-expiration` (read-only) and, for now, a `certs renew`
// that says it does not exist yet.
#pragma once

#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::certs {

inline constexpr const char *kCertsUsage = "certs check-expiration";

// Prints the report in the -o format asked for. Throws kup::Error
// (KUP_E_INVALID_ARGUMENT for bad words, KUP_E_UNSUPPORTED for renew).
void run_certs_command(const kup::Host &host, const kup::CommandCall &call);

template <class Plugin>
std::vector<kup::CommandSpec> certs_command_specs() {
  kup::CommandSpec certs;
  certs.name = "certs";
  certs.usage = kCertsUsage;
  certs.summary =
      "Show when this node's kubeadm certificates, kubeconfig client certificates and the kubelet's client "
      "certificate expire, as `kubeadm certs check-expiration` does";
  // `renew` answers "not implemented" before touching anything, so the whole
  // command stays read-only until renewal exists.
  certs.flags = KUP_COMMAND_READ_ONLY;
  certs.run = kup::command<&Plugin::certs_command>();
  return {certs};
}

}  // namespace kuphost_plugins::certs
