// The renewal as the certs plugin runs it on a node, for the certs/renew
// phase and `kuphost certs renew`: select, prepare every new certificate in
// memory, back the old files up, write, restart the static pods that read
// them and check kube-apiserver serves the new certificate. Its rollback
// puts the old files back byte for byte and restarts the pods again.
#pragma once

#include <kuphost/kuphost.hpp>

#include <functional>
#include <string>
#include <vector>

#include "renewal/renewal_selection.h"
#include "restart/static_pod_restart.h"

namespace kuphost_plugins::certs {

struct CertsSettings {
  int64_t renew_before_seconds = 180 * 86400;
  int64_t validity_seconds = 365 * 86400;
  bool restart_static_pods = true;
  RestartTimings timings;
};

using Progress = std::function<void(const std::string &)>;

struct RenewalRun {
  RenewalRequest request;
  bool dry_run = false;               // check every input, describe, change nothing
  bool use_run_backup_set = false;    // keep the old files in etcd-backup's set of this run when it has them
};

// The node's PKI as check-expiration reads it, now.
ExpirationInventory read_node_inventory(const kup::Host &host);

// What a renewal of `inventory` would do and why, one line each (plan,
// dry-run); CA warnings start with "WARNING: ", bad inputs with "error: ".
std::vector<std::string> describe_renewal(const ExpirationInventory &inventory, const CertsSettings &settings,
                                          const RenewalRequest &request);

// Returns the one-line summary. Throws kup::Error: KUP_E_INVALID_ARGUMENT
// naming every bad input (nothing changed), KUP_E_IO / KUP_E_TIMEOUT after a
// failed write or restart (the backup is recorded in the run state).
std::string run_renewal(const kup::Host &host, const CertsSettings &settings, const RenewalRun &run,
                        const Progress &progress);

// The rollback: restores what run_renewal backed up in this run, if anything.
std::string roll_back_renewal(const kup::Host &host, const CertsSettings &settings, const Progress &progress);

}  // namespace kuphost_plugins::certs
