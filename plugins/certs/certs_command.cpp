#include "certs_command.h"

#include "inventory/cert_inventory.h"
#include "inventory/expiration_report.h"

namespace kuphost_plugins::certs {
namespace {

void check_expiration(const kup::Host &host, const kup::CommandCall &call) {
  const PathResolver resolve = [host](const std::string &node_path) {
    return std::filesystem::path(host.resolve(node_path));
  };
  const EtcdTopology etcd =
      host.fact("etcd.topology").value_or("") == "stacked" ? EtcdTopology::kStacked : EtcdTopology::kExternal;
  const ExpirationInventory inventory = read_inventory(resolve, etcd, host.now_unix_ms());
  if (call.output() == 1) return call.out(expiration_json(inventory));
  if (call.output() == 2) return call.write(expiration_yaml(inventory));
  for (const auto &line : expiration_text(inventory)) call.out(line);
}

}  // namespace

void run_certs_command(const kup::Host &host, const kup::CommandCall &call) {
  const auto args = call.args();
  if (args.size() == 1 && args[0] == "check-expiration") return check_expiration(host, call);
  if (!args.empty() && args[0] == "renew")
    throw kup::Error(KUP_E_UNSUPPORTED, "certs renew: not implemented yet (use `kubeadm certs renew` meanwhile)");
  throw kup::Error(KUP_E_INVALID_ARGUMENT, std::string("usage: kuphost ") + kCertsUsage);
}

}  // namespace kuphost_plugins::certs
