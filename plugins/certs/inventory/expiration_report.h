// `kuphost certs check-expiration`'s output: kubeadm's two tables (certs.md
// §3) then the kubelet client certificate; or the same data as JSON / YAML in
// the shape of kubeadm's output.kubeadm.k8s.io/v1alpha3
// CertificateExpirationInfo, with kuphost's additions.
//
// Machine-readable fields, per certificate: name, expirationDate (RFC 3339
// UTC, null when missing or unreadable), residualTime (seconds), caName
// (omitted for CAs), externallyManaged, missing (all kubeadm's); path and
// error (omitted when empty) are kuphost's. The top level adds
// kubeletClientCertificate (the same fields plus warning, omitted when
// empty) to kubeadm's certificates and certificateAuthorities.
#pragma once

#include <string>
#include <vector>

#include "cert_inventory.h"

namespace kuphost_plugins::certs {

// Lines, without their '\n'. The certificate tables are byte for byte
// kubeadm's, trailing padding included. A certificate that cannot be read
// shows as `!UNREADABLE! <name>` with empty columns (kubeadm would fail the
// whole command) and an `ERROR:` line after the tables names its file.
std::vector<std::string> expiration_text(const ExpirationInventory &inventory);

std::string expiration_json(const ExpirationInventory &inventory);
std::string expiration_yaml(const ExpirationInventory &inventory);

}  // namespace kuphost_plugins::certs
