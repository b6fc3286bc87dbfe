#include "certs_command.h"

#include "inventory/cert_inventory.h"
#include "inventory/expiration_report.h"

namespace kuphost_plugins::certs {
namespace {

void check_expiration(const kup::Host &host, const kup::CommandCall &call) {
  const ExpirationInventory inventory = read_node_inventory(host);
  if (call.output() == 1) return call.out(expiration_json(inventory));
  if (call.output() == 2) return call.write(expiration_yaml(inventory));
  for (const auto &line : expiration_text(inventory)) call.out(line);
}

void renew(const kup::Host &host, const CertsSettings &settings, const kup::CommandCall &call,
           const std::vector<std::string> &words) {
  RenewalRun run;
  for (const auto &w : words) {
    if (w == "all") run.request.all = true;
    else run.request.names.push_back(w);
  }
  if (run.request.all && !run.request.names.empty())
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "certs renew: give names or all, not both");
  run.dry_run = call.dry_run();
  const std::string summary = run_renewal(host, settings, run, [&](const std::string &line) { call.out(line); });
  call.out(summary);
}

}  // namespace

void run_certs_command(const kup::Host &host, const CertsSettings &settings, const kup::CommandCall &call) {
  const auto args = call.args();
  if (args.size() == 1 && args[0] == "check-expiration") return check_expiration(host, call);
  if (!args.empty() && args[0] == "renew") return renew(host, settings, call, {args.begin() + 1, args.end()});
  throw kup::Error(KUP_E_INVALID_ARGUMENT, std::string("usage: kuphost ") + kCertsUsage);
}

}  // namespace kuphost_plugins::certs
