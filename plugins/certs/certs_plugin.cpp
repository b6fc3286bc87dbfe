// certs: a certificate expiry report before the upgrade and renewal of what
// expires soon, ahead of kubeadm's own upgrade. Both bodies plan their steps
// here; the real check and renewal are the "certs" issue.
#include <kuphost/kuphost.hpp>

#include "support/not_implemented.hpp"
#include "support/settings.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::certs {

class CertsPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Certificate expiry report and renewal";

    kup::PhaseSpec check;
    check.id = "check-expiration";
    check.title = "Check certificate expiry";
    check.description = "An expired certificate stops the control plane, and kubeadm never renews a CA.";
    check.stage = KUP_STAGE_PREFLIGHT;
    check.distro_families = KUP_DISTRO_LINUX;
    check.roles = KUP_ROLE_CONTROL_PLANE;
    check.flags = KUP_PHASE_READ_ONLY;
    check.plan = kup::phase<&CertsPlugin::plan_check>();
    check.apply = kup::phase<&CertsPlugin::apply_check>();

    kup::PhaseSpec renew;
    renew.id = "renew";
    renew.title = "Renew expiring certificates";
    renew.description = "Renews what expires within renew-before, before kubeadm restarts the control plane.";
    renew.stage = KUP_STAGE_CONTROL_PLANE;
    renew.distro_families = KUP_DISTRO_LINUX;
    renew.roles = KUP_ROLE_CONTROL_PLANE;
    renew.before = {"kubeadm/upgrade-apply", "kubeadm/upgrade-node"};
    renew.plan = kup::phase<&CertsPlugin::plan_renew>();
    renew.apply = kup::phase<&CertsPlugin::apply_renew>();

    info.phases = {check, renew};
    info.config_keys = {
        {"renew-before", KUP_CONFIG_DURATION, "180d", "Renew a certificate that expires within this time."},
        {"validity", KUP_CONFIG_DURATION, "365d", "How long renewed certificates are valid."},
    };
  }

  explicit CertsPlugin(kup::Host host) : host_(host) {
    const Settings config(host_, "certs");
    config.duration_ms("renew-before", "180d");  // refuses a value it cannot use
    config.duration_ms("validity", "365d");
    renew_before_ = host_.config("renew-before").value_or("180d");
    validity_ = host_.config("validity").value_or("365d");
  }

  void plan_check(const kup::Call &call) {
    for (const auto &step : check_steps()) call.out(step);
  }
  void apply_check(const kup::Call &call) { echo_steps_or_refuse(call, "certs", check_steps()); }
  void plan_renew(const kup::Call &call) {
    for (const auto &step : renew_steps()) call.out(step);
  }
  void apply_renew(const kup::Call &call) { echo_steps_or_refuse(call, "certs", renew_steps()); }

 private:
  bool stacked_etcd() const { return host_.fact("etcd.topology").value_or("") == "stacked"; }

  std::vector<std::string> check_steps() const {
    return {
        command_line({"kubeadm", "certs", "check-expiration"}),
        "fail on an expired certificate or kubeconfig; warn about those that expire within " + renew_before_,
        "warn about CAs that expire within " + renew_before_ + ": kubeadm never renews a CA",
    };
  }

  std::vector<std::string> renew_steps() const {
    std::vector<std::string> steps{
        command_line({"kubeadm", "certs", "check-expiration"}),
        "kubeadm certs renew <name> for each certificate and kubeconfig that expires within " +
            renew_before_ + ", valid for " + validity_ +
            " (CAs and externally managed certificates are left alone)",
        std::string("restart the static pods whose certificates were renewed (kube-apiserver, "
                    "kube-controller-manager, kube-scheduler") +
            (stacked_etcd() ? ", etcd)" : ")"),
    };
    if (!stacked_etcd())
      steps.push_back("external etcd: its certificates are managed outside kubeadm and left alone");
    return steps;
  }

  kup::Host host_;
  std::string renew_before_, validity_;
};

}  // namespace kuphost_plugins::certs

KUPHOST_PLUGIN(kuphost_plugins::certs::CertsPlugin, "certs", KUPHOST_PLUGINS_RELEASE)
