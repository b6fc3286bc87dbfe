#include "renewal_selection.h"

#include <algorithm>

#include "inventory/go_text.h"
#include "support/text.hpp"

namespace kuphost_plugins::certs {
namespace {

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string key_of(const std::string &crt_path) { return crt_path.substr(0, crt_path.size() - 4) + ".key"; }

const CertStatus *find(const std::vector<CertStatus> &rows, const std::string &name) {
  for (const auto &row : rows)
    if (row.name == name) return &row;
  return nullptr;
}

std::string left(const CertStatus &row) {
  return row.residual_seconds <= 0 ? "expired" : short_human_duration(row.residual_seconds) + " left";
}

// The check-expiration names renewal knows, for usage messages.
std::vector<std::string> renewable_names(const ExpirationInventory &inventory) {
  std::vector<std::string> names;
  for (const auto &row : inventory.certificates) names.push_back(row.name);
  return names;
}

}  // namespace

RenewalSelection select_renewals(const ExpirationInventory &inventory, const RenewalRequest &request) {
  RenewalSelection out;
  const std::string threshold = short_human_duration(request.renew_before_seconds);
  for (const auto &name : request.names) {
    if (find(inventory.authorities, name))
      out.errors.push_back(name + " is a certificate authority; kuphost never renews CAs (as kubeadm)");
    else if (!find(inventory.certificates, name))
      out.errors.push_back("unknown certificate '" + name + "'; use one of: " + join(renewable_names(inventory), ", "));
  }
  for (const auto &ca : inventory.authorities) {
    if (!ca.readable()) continue;
    if (ca.residual_seconds < request.renew_before_seconds)
      out.ca_warnings.push_back("certificate authority " + ca.name + " (" + ca.node_path + ") " +
                                (ca.residual_seconds <= 0 ? "has expired"
                                                          : "expires in " + short_human_duration(ca.residual_seconds)) +
                                ", within renew-before (" + threshold +
                                "): kuphost never renews CAs and no leaf can outlive its CA; rotate the CA by hand "
                                "(kubeadm-certs \"Manual rotation of CA certificates\") before it expires");
  }
  for (const auto &row : inventory.certificates) {
    const bool named = std::find(request.names.begin(), request.names.end(), row.name) != request.names.end();
    if (!request.names.empty() && !named) continue;
    if (row.missing) {
      if (named) out.errors.push_back(row.name + ": " + row.node_path + " does not exist on this node");
      else out.skipped.push_back(row.name + ": " + row.node_path + " is not on this node");
      continue;
    }
    if (!row.readable()) {
      out.errors.push_back(row.node_path + ": " + row.error + "; fix or replace the file, then run again");
      continue;
    }
    const bool due = request.all || named || row.residual_seconds < request.renew_before_seconds;
    if (!due) {
      out.kept.push_back(row.name + ": " + left(row) + ", more than renew-before (" + threshold + ")");
      continue;
    }
    const CertStatus *ca = find(inventory.authorities, row.ca_name);
    if (!ca || ca->missing) {
      out.errors.push_back(row.name + ": its CA " + row.ca_name + " is missing on this node");
      continue;
    }
    if (!ca->readable()) {
      out.errors.push_back(ca->node_path + ": " + ca->error + "; fix or replace the file, then run again");
      continue;
    }
    if (ca->externally_managed) {
      // kubeadm's words (certs.md §7), and what to do instead.
      out.skipped.push_back("External CA detected, " + row.name + " certificate can't be renewed (" + ca->node_path +
                            " has no key here); renew it with the CA's owner, e.g. from `kubeadm certs renew " +
                            row.name + " --csr-only`");
      continue;
    }
    RenewalTarget target;
    target.name = row.name;
    target.kubeconfig = ends_with(row.node_path, ".conf");
    target.cert_path = row.node_path;
    if (!target.kubeconfig) target.key_path = key_of(row.node_path);
    target.ca_name = ca->name;
    target.ca_cert_path = ca->node_path;
    target.ca_key_path = key_of(ca->node_path);
    target.not_after_unix = row.not_after_unix;
    target.residual_seconds = row.residual_seconds;
    out.renew.push_back(std::move(target));
  }
  return out;
}

}  // namespace kuphost_plugins::certs
