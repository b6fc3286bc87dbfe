// Which certificates a renewal replaces (certs.md §4, §7): every leaf and
// kubeconfig under the renew-before threshold, all of them, or the ones
// named, with the reasons for everything left alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inventory/cert_inventory.h"

namespace kuphost_plugins::certs {

struct RenewalRequest {
  bool all = false;                // `all`: every leaf, whatever its residual time
  std::vector<std::string> names;  // check-expiration names; empty = by threshold
  int64_t renew_before_seconds = 180 * 86400;
};

struct RenewalTarget {
  std::string name;      // "apiserver", "admin.conf"
  bool kubeconfig = false;
  std::string cert_path;  // the .crt, or the kubeconfig
  std::string key_path;   // the .key; empty for a kubeconfig
  std::string ca_name, ca_cert_path, ca_key_path;
  int64_t not_after_unix = 0, residual_seconds = 0;
};

struct RenewalSelection {
  std::vector<RenewalTarget> renew;
  std::vector<std::string> kept;         // "apiserver: 364d left, more than renew-before (180d)"
  std::vector<std::string> skipped;      // external CA, absent kubeconfigs
  std::vector<std::string> ca_warnings;  // CAs inside the threshold: kuphost never renews them
  // Corrupt or unreadable files, unknown names: any of these and nothing
  // may be renewed ("fix or remove ... then run again").
  std::vector<std::string> errors;
};

RenewalSelection select_renewals(const ExpirationInventory &inventory, const RenewalRequest &request);

}  // namespace kuphost_plugins::certs
