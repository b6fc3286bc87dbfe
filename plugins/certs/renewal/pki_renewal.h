// Renewal of the selected certificates in two steps, so that a corrupt or
// mismatched input is found before any file changes: prepare() reads every
// input and makes every new certificate and key in memory; write_renewals()
// then replaces the files, keys before certificates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node_files.h"
#include "renewal_selection.h"

namespace kuphost_plugins::certs {

struct FileWrite {
  std::string node_path;
  std::string data;
  uint32_t mode = 0600;
};

struct PreparedRenewal {
  RenewalTarget target;
  int64_t new_not_after_unix = 0;
  std::string new_serial_hex;   // upper-case hex, as `openssl x509 -serial`
  std::vector<FileWrite> writes;  // key first, then certificate; one kubeconfig
};

// Throws RenewalError naming the file at fault; changes nothing.
std::vector<PreparedRenewal> prepare_renewals(const std::vector<RenewalTarget> &targets, NodeFiles &files,
                                              int64_t now_unix, int64_t validity_seconds);

// Every node path the renewals replace, in write order.
std::vector<std::string> files_replaced(const std::vector<PreparedRenewal> &renewals);

void write_renewals(const std::vector<PreparedRenewal> &renewals, NodeFiles &files);

// The serial of a PEM certificate in upper-case hex; empty when unreadable.
std::string certificate_serial_hex(const std::string &pem);

}  // namespace kuphost_plugins::certs
