// `kuphost certs check-expiration [-o json|yaml]` (read-only) and
// `kuphost certs renew [NAME...|all]`.
#pragma once

#include <vector>

#include <kuphost/kuphost.hpp>

#include "renew_workflow.h"

namespace kuphost_plugins::certs {

inline constexpr const char *kCertsUsage = "certs check-expiration | certs renew [NAME...|all] [--dry-run]";

// Throws kup::Error (KUP_E_INVALID_ARGUMENT for bad words).
void run_certs_command(const kup::Host &host, const CertsSettings &settings, const kup::CommandCall &call);

template <class Plugin>
std::vector<kup::CommandSpec> certs_command_specs() {
  kup::CommandSpec certs;
  certs.name = "certs";
  certs.usage = kCertsUsage;
  certs.summary =
      "Show when this node's kubeadm certificates expire, as `kubeadm certs check-expiration` does, or renew them "
      "(no NAME: those within certs.renew-before), back the old ones up and restart the static pods that use them";
  certs.run = kup::command<&Plugin::certs_command>();
  certs.read_only_words = {"check-expiration"};  // a report: no run lock, no run record
  return {certs};
}

}  // namespace kuphost_plugins::certs
