// certs: kubeadm's certificate expiry report before the upgrade, and renewal
// of what expires within certs.renew-before ahead of kubeadm's control-plane
// upgrade, which then runs with --certificate-renewal=false (the "certs"
// issue; certs.md).
#include <kuphost/kuphost.hpp>

#include "certs_command.h"
#include "renew_workflow.h"
#include "support/settings.hpp"

namespace kuphost_plugins::certs {

class CertsPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Certificate expiry report and renewal of kubeadm's certificates";
    kup::PhaseSpec report;
    report.id = "check-expiration";
    report.title = "Check certificate expiry";
    report.description =
        "Shows what the renewal will do and warns about CAs, which nothing renews, before any change.";
    report.stage = KUP_STAGE_PREFLIGHT;
    report.order = 10;  // after kubeadm's preflight, which may refuse the whole run
    report.distro_families = KUP_DISTRO_LINUX;
    report.roles = KUP_ROLE_CONTROL_PLANE;
    report.flags = KUP_PHASE_READ_ONLY;
    report.plan = kup::phase<&CertsPlugin::report_expiry>();
    report.apply = kup::phase<&CertsPlugin::report_expiry>();

    kup::PhaseSpec renew;
    renew.id = "renew";
    renew.title = "Renew certificates that expire soon";
    renew.description =
        "kubeadm renews every certificate on each upgrade without a backup; kuphost renews what expires within "
        "renew-before, keeps the old files and checks the API server serves the new certificate.";
    renew.stage = KUP_STAGE_CONTROL_PLANE;
    renew.order = -10;  // before kubeadm upgrade apply|node
    renew.distro_families = KUP_DISTRO_LINUX;
    renew.roles = KUP_ROLE_CONTROL_PLANE;
    renew.plan = kup::phase<&CertsPlugin::plan_renew>();
    renew.apply = kup::phase<&CertsPlugin::apply_renew>();
    renew.rollback = kup::phase<&CertsPlugin::rollback_renew>();
    info.phases = {report, renew};
    info.commands = certs_command_specs<CertsPlugin>();
    info.config_keys = {
        {"renew-before", KUP_CONFIG_STRING, "180d",
         "Renew a certificate that expires within this time (a duration such as 180d), or all to renew every one."},
        {"validity", KUP_CONFIG_DURATION, "365d",
         "How long renewed certificates are valid (never past their CA)."},
        {"restart-static-pods", KUP_CONFIG_BOOL, "true",
         "Restart the static pods that read renewed certificates and check kube-apiserver serves the new one."},
        {"restart-grace", KUP_CONFIG_DURATION, "20s",
         "How long a manifest stays out of /etc/kubernetes/manifests: the kubelet's fileCheckFrequency."},
        {"restart-timeout", KUP_CONFIG_DURATION, "5m",
         "How long kube-apiserver may take to serve the renewed certificate after its restart."},
    };
  }

  explicit CertsPlugin(kup::Host host) : host_(host) {
    const Settings config(host, "certs");
    const std::string before = config.text("renew-before");
    if (before == "all") {
      renew_all_ = true;
    } else {
      const auto ms = parse_duration_ms(before.empty() ? "180d" : before);
      if (!ms)
        throw kup::Error(KUP_E_INVALID_CONFIG,
                         "certs.renew-before is '" + before + "'; use a duration such as 180d or 4320h, or all");
      settings_.renew_before_seconds = static_cast<int64_t>(*ms / 1000);
    }
    settings_.validity_seconds = static_cast<int64_t>(config.duration_ms("validity", "365d") / 1000);
    if (settings_.validity_seconds < 3600)
      throw kup::Error(KUP_E_INVALID_CONFIG, "certs.validity must be at least 1h");
    settings_.restart_static_pods = config.flag("restart-static-pods", true);
    settings_.timings.grace_ms = static_cast<int64_t>(config.duration_ms("restart-grace", "20s"));
    settings_.timings.start_timeout_ms = static_cast<int64_t>(config.duration_ms("restart-timeout", "5m"));
  }

  // Loud: CAs nobody renews and a kubelet certificate nobody rotates end a
  // cluster the day they expire.
  void report_expiry(const kup::Call &call) {
    // The details are certs/renew's plan; here the count and the warnings.
    std::size_t renew = 0, keep = 0, skip = 0;
    const ExpirationInventory inventory = read_node_inventory(host_);
    for (const auto &line : describe_renewal(inventory, settings_, request())) {
      if (line.rfind("WARNING: ", 0) == 0 || line.rfind("error: ", 0) == 0) {
        host_.warn("certs: " + line.substr(line.find(' ') + 1));
        call.out(line);
      }
      renew += line.rfind("renew ", 0) == 0;
      keep += line.rfind("keep ", 0) == 0;
      skip += line.rfind("skip ", 0) == 0;
    }
    call.out(std::to_string(renew) + " certificate(s) to renew (certs/renew), " + std::to_string(keep) + " kept, " +
             std::to_string(skip) + " skipped");
    if (const std::string &warning = inventory.kubelet_client.warning; !warning.empty()) {
      host_.warn("certs: " + warning);
      call.out("WARNING: " + warning);
    }
    call.unchanged("certificates checked");
  }

  void plan_renew(const kup::Call &call) {
    if (const auto off = renewal_switched_off()) return call.out(*off);
    for (const auto &line : describe_renewal(read_node_inventory(host_), settings_, request())) call.out(line);
  }

  void apply_renew(const kup::Call &call) {
    if (const auto off = renewal_switched_off()) {
      call.out(*off);
      return call.unchanged("renewal switched off");
    }
    RenewalRun run;
    run.request = request();
    run.dry_run = call.dry_run();
    run.use_run_backup_set = true;
    const std::string summary = run_renewal(host_, settings_, run, [&](const std::string &l) { call.out(l); });
    if (summary.rfind("nothing", 0) == 0 || call.dry_run()) call.unchanged(summary);
    else call.changed(summary);
  }

  void rollback_renew(const kup::Call &call) {
    const std::string summary = roll_back_renewal(host_, settings_, [&](const std::string &l) { call.out(l); });
    if (summary.empty()) call.unchanged("nothing to restore");
    else call.changed(summary);
  }

  void certs_command(const kup::CommandCall &call) { run_certs_command(host_, settings_, call); }

 private:
  RenewalRequest request() const {
    RenewalRequest r;
    r.all = renew_all_;
    return r;
  }

  // The operator's kubeadm.certificate-renewal: false means no renewal during
  // the upgrade; kubeadm's preflight records it for the run.
  std::optional<std::string> renewal_switched_off() const {
    std::optional<std::string> recorded;
    try {
      recorded = host_.shared_state_get("kubeadm/certificate-renewal");
    } catch (const kup::Error &) {
    }
    if (recorded == "false")
      return std::string("kubeadm.certificate-renewal is false: no certificate is renewed during this upgrade "
                         "(`kuphost certs renew` still renews on request)");
    return std::nullopt;
  }

  kup::Host host_;
  CertsSettings settings_;
  bool renew_all_ = false;
};

}  // namespace kuphost_plugins::certs

KUPHOST_PLUGIN(kuphost_plugins::certs::CertsPlugin, "certs", KUPHOST_PLUGINS_RELEASE)
