// certs: a certificate expiry report before the upgrade and renewal of what
// expires soon, ahead of kubeadm's own upgrade (the "certs" issue).
//
// No phases yet. Phases that could only refuse blocked every default run,
// and with certs/renew in a run the kubeadm workflow passes
// --certificate-renewal=false; until kuphost's own report and renewal exist,
// kubeadm renews what it manages, as it does without kuphost. The
// configuration keys are declared already, so configs written for them load.
// The read-only report, `kuphost certs check-expiration`, exists already.
#include <kuphost/kuphost.hpp>

#include "certs_command.h"
#include "support/settings.hpp"

namespace kuphost_plugins::certs {

class CertsPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Certificate expiry report and renewal (no phases yet: kubeadm renews meanwhile)";
    info.commands = certs_command_specs<CertsPlugin>();
    info.config_keys = {
        {"renew-before", KUP_CONFIG_DURATION, "180d", "Renew a certificate that expires within this time."},
        {"validity", KUP_CONFIG_DURATION, "365d", "How long renewed certificates are valid."},
    };
  }

  explicit CertsPlugin(kup::Host host) : host_(host) {
    const Settings config(host, "certs");
    config.duration_ms("renew-before", "180d");  // refuses a value it cannot use
    config.duration_ms("validity", "365d");
  }

  void certs_command(const kup::CommandCall &call) { run_certs_command(host_, call); }

 private:
  kup::Host host_;
};

}  // namespace kuphost_plugins::certs

KUPHOST_PLUGIN(kuphost_plugins::certs::CertsPlugin, "certs", KUPHOST_PLUGINS_RELEASE)
