// kubeadm-package and kubelet-kubectl-packages: the same job for two sets of
// packages, through whichever plugin serves kuphost.package-manager/1 here.
//
// A package version is chosen from what the repository offers: the newest
// one whose upstream part is the target ("1.31.2-1.1" for v1.31.2). Before a
// minor upgrade the repository still points at the old minor until the
// repository phase runs, so plan and dry-run show "1.31.2-*" instead of
// failing; a real apply, which runs after the switch, requires the version.
#include <algorithm>

#include "kubeadm_plugin.h"
#include "support/package_manager_client.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

// One package of a set, as the package manager sees it now.
struct PackageStatus {
  std::string name;
  std::optional<std::string> installed;
  std::optional<std::string> candidate;  // newest available version shipping the target
  bool at_target = false;
};

std::optional<std::string> newest_shipping(const std::vector<std::string> &newest_first,
                                           const KubeVersion &target) {
  for (const auto &v : newest_first)
    if (package_ships(v, target)) return v;
  return std::nullopt;
}

// The packages of `set` that are installed, with what the upgrade would do.
// Throws when a required package is missing.
std::vector<PackageStatus> inspect(const kup::Call &call, const PackageManagerClient &pm,
                                   const PackageSet &set, const KubeVersion &target) {
  std::vector<PackageStatus> out;
  auto add = [&](const std::string &name, bool required) {
    PackageStatus s{name, pm.installed_version(name), std::nullopt, false};
    if (!s.installed) {
      if (required)
        throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                         name + " is not installed through " + pm.manager() +
                             "; kuphost upgrades package-managed Kubernetes components only");
      call.out(name + " is not installed: left alone");
      return;
    }
    s.at_target = package_ships(*s.installed, target);
    if (!s.at_target) s.candidate = newest_shipping(pm.available_versions(name), target);
    out.push_back(std::move(s));
  };
  for (const auto &name : set.required) add(name, true);
  for (const auto &name : set.optional) add(name, false);
  return out;
}

std::vector<std::string> names_of(const std::vector<PackageStatus> &packages) {
  std::vector<std::string> names;
  for (const auto &p : packages) names.push_back(p.name);
  return names;
}

// "kubeadm=1.31.2-1.1", or "kubeadm=1.31.2-*" while the version is unknown.
std::string pin_text(const PackageStatus &p, const KubeVersion &target) {
  return p.name + "=" + p.candidate.value_or(target.bare() + "-*");
}

std::string previous_key(const PackageSet &set, const std::string &package) {
  return set.state_prefix + ".previous." + package;
}

// Rollback installs versions of the old minor, which the repository offers
// again only after it points back there: the repository phase's own rollback
// comes later (an earlier stage), and it restores the original file anyway.
void make_available(const kup::Call &call, const PackageManagerClient &pm,
                    const std::vector<PackagePin> &pins) {
  for (const auto &pin : pins) {
    const auto offered = pm.available_versions(pin.name);
    if (std::find(offered.begin(), offered.end(), pin.version) != offered.end()) continue;
    const auto version = KubeVersion::parse(upstream_of_package(pin.version));
    if (!version)
      throw kup::Error(KUP_E_NOT_FOUND, "the repository no longer offers " + pin.name + " " + pin.version +
                                            "; reinstall it by hand");
    call.out("the repository does not offer " + pin.name + " " + pin.version + "; pointing it back at " +
             version->minor_str() + " first");
    pm.switch_repository(version->minor_str());
    return;
  }
}

}  // namespace

PackageSet KubeadmPlugin::kubeadm_packages() const { return {"kubeadm-package", {"kubeadm"}, {}}; }

// kubectl is optional: workers often run without it, and installing a new
// package is not what an upgrade should do.
PackageSet KubeadmPlugin::node_packages() const { return {"node-packages", {"kubelet"}, {"kubectl"}}; }

void KubeadmPlugin::plan_kubeadm_package(const kup::Call &call) { plan_packages(call, kubeadm_packages()); }
void KubeadmPlugin::apply_kubeadm_package(const kup::Call &call) { apply_packages(call, kubeadm_packages()); }
void KubeadmPlugin::rollback_kubeadm_package(const kup::Call &call) {
  rollback_packages(call, kubeadm_packages());
}
// The package manager can report a version whose binary is not the one on
// PATH (a kubeadm in /usr/local/bin shadowing the package's); kubeadm
// upgrade apply|node would then run the wrong kubeadm, so stop here.
void KubeadmPlugin::verify_kubeadm_package(const kup::Call &call) {
  const KubeVersion target = require_target(call);
  if (call.dry_run()) return;  // nothing was installed
  kup::ExecOptions read;
  read.read_only = true;
  read.timeout_ms = 60 * 1000;
  const std::string reported(trim(host_.run({"kubeadm", "version", "-o", "short"}, read).out));
  if (reported != target.str())
    throw kup::Error(KUP_E_COMMAND_FAILED,
                     "`kubeadm version -o short` prints '" + reported + "' after the kubeadm package upgrade, not " +
                         target.str() + "; check which kubeadm is first on PATH (`command -v kubeadm`)");
  call.out("kubeadm version -o short: " + reported);
}

void KubeadmPlugin::plan_node_packages(const kup::Call &call) { plan_packages(call, node_packages()); }
void KubeadmPlugin::apply_node_packages(const kup::Call &call) {
  hold_slot_if_drained(call);
  apply_packages(call, node_packages());
}
void KubeadmPlugin::rollback_node_packages(const kup::Call &call) {
  const auto pm = PackageManagerClient::find(host_);
  const auto kubelet_before = pm.installed_version("kubelet");
  rollback_packages(call, node_packages());
  // The restored binary runs only after a restart; the new one may already
  // have been started by kubelet-restart.
  if (pm.installed_version("kubelet") != kubelet_before) restart_kubelet(call);
}

void KubeadmPlugin::plan_packages(const kup::Call &call, const PackageSet &set) {
  const auto pm = PackageManagerClient::find(host_);
  std::vector<std::string> all = set.required;
  all.insert(all.end(), set.optional.begin(), set.optional.end());
  const auto target = KubeVersion::parse(call.target_version());
  if (!target) {
    call.out("unhold " + join(all, " "));
    call.out("install " + join(all, " ") + " at the target's package version with " + pm.manager());
    call.out("hold " + join(all, " "));
    return;
  }
  std::vector<PackageStatus> pending;
  for (auto &p : inspect(call, pm, set, *target)) {
    if (p.at_target)
      call.out(p.name + " " + *p.installed + " already ships " + target->str() + ": nothing to do");
    else
      pending.push_back(std::move(p));
  }
  if (pending.empty()) return;
  std::vector<std::string> pins, was;
  bool unknown = false;
  for (const auto &p : pending) {
    pins.push_back(pin_text(p, *target));
    was.push_back(p.name + " " + *p.installed);
    unknown = unknown || !p.candidate;
  }
  const std::string names = join(names_of(pending), " ");
  call.out("unhold " + names);
  call.out("install " + join(pins, " ") + " with " + pm.manager() + " (now " + join(was, ", ") + ")");
  call.out("hold " + names);
  if (unknown)
    call.out("note: the repository offers no " + target->str() +
             " package yet; the exact version is "
             "chosen after the repository switch to " +
             target->minor_str());
}

void KubeadmPlugin::apply_packages(const kup::Call &call, const PackageSet &set) {
  const auto pm = PackageManagerClient::find(host_);
  const KubeVersion target = require_target(call);
  std::vector<PackageStatus> pending;
  std::vector<std::string> current;
  auto look = [&] {
    pending.clear();
    current.clear();
    for (auto &p : inspect(call, pm, set, target)) {
      current.push_back(p.name + " " + *p.installed);
      if (!p.at_target) pending.push_back(std::move(p));
    }
  };
  look();
  // A resumed run after a rollback: that rollback pointed the repository back
  // at the old minor to reinstall the old packages, and the repository phase,
  // done in the first attempt, does not run again.
  const bool missing = std::any_of(pending.begin(), pending.end(), [](const auto &p) { return !p.candidate; });
  if (missing && !call.dry_run() && host_.state_get(previous_key(set, pending.front().name))) {
    call.out("the repository offers no " + target.str() + " packages; pointing it at " + target.minor_str() +
             " again, as the repository phase of this run did");
    pm.switch_repository(target.minor_str());
    look();
  }
  if (pending.empty()) {
    call.unchanged(join(current, ", ") + (current.size() == 1 ? " already ships " : " already ship ") +
                   target.str());
    return;
  }
  for (const auto &p : pending) {
    if (p.candidate) continue;
    if (call.dry_run()) {
      // The dry run did not switch the repository, so the version cannot be known yet.
      std::vector<std::string> pins;
      for (const auto &q : pending) pins.push_back(pin_text(q, target));
      call.out("would install " + join(pins, " ") + " with " + pm.manager() + " once the repository offers " +
               target.str());
      call.changed("would install " + join(pins, " "));
      return;
    }
    throw kup::Error(KUP_E_NOT_FOUND, pm.manager() + " offers no " + p.name + " package for " + target.str() +
                                          "; check that the Kubernetes repository points at " +
                                          target.minor_str() + " and that the release is published");
  }
  std::vector<PackagePin> pins;
  std::vector<std::string> changes;
  for (const auto &p : pending) {
    // Recorded once: a resumed run must keep the version from before the upgrade.
    if (!host_.state_get(previous_key(set, p.name))) host_.state_set(previous_key(set, p.name), *p.installed);
    pins.push_back({p.name, *p.candidate});
    changes.push_back(p.name + " " + *p.installed + " -> " + *p.candidate);
  }
  call.out("installing " + describe_pins(pins) + " with " + pm.manager());
  pm.install(pins);
  call.changed(join(changes, ", "));
}

void KubeadmPlugin::rollback_packages(const kup::Call &call, const PackageSet &set) {
  const auto pm = PackageManagerClient::find(host_);
  std::vector<std::string> all = set.required;
  all.insert(all.end(), set.optional.begin(), set.optional.end());
  std::vector<PackagePin> pins;
  for (const auto &name : all) {
    const auto previous = host_.state_get(previous_key(set, name));
    if (!previous || previous->empty()) continue;
    if (pm.installed_version(name) == *previous) continue;
    pins.push_back({name, *previous});
  }
  if (pins.empty()) {
    call.out("nothing to roll back: " + join(all, ", ") + " as before the upgrade");
    return;
  }
  make_available(call, pm, pins);
  call.out("reinstalling " + describe_pins(pins) + " with " + pm.manager());
  pm.install(pins);
}

}  // namespace kuphost_plugins::kubeadm
