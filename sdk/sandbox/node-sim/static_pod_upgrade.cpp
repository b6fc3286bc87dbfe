#include "static_pod_upgrade.h"

#include <yaml-cpp/yaml.h>

#include <ostream>
#include <system_error>

#include "etcd_health.h"
#include "fs_util.h"
#include "manifests.h"
#include "node_pki.h"
#include "node_state.h"
#include "patches.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::KubeVersion;

// kubeadm compares the decoded Pods, not the bytes.
bool same_manifest(const std::string &a, const std::string &b) {
  try {
    return detail::emit_yaml(YAML::Load(a)) == detail::emit_yaml(YAML::Load(b));
  } catch (const YAML::Exception &) {
    return a == b;
  }
}

std::string node_path(const Invocation &inv, const fs::path &host) {
  return "/" + host.lexically_relative(inv.root).string();
}

class StaticPodUpgrade {
 public:
  StaticPodUpgrade(Invocation &inv, const UpgradeContext &ctx, const StaticPodUpgradeOptions &options)
      : inv_(inv), ctx_(ctx), opt_(options), manifests_(inv.root / "etc/kubernetes/manifests"),
        tmp_(inv.root / "etc/kubernetes/tmp") {}

  std::optional<std::string> run() {
    const bool stacked = ctx_.sandbox.etcd == "stacked";
    if (!opt_.dry_run) prepare_dirs(stacked);
    const auto kubelet = detail::read_node_state(inv_.root).units;
    kubelet_running_ = kubelet.count("kubelet") && kubelet.at("kubelet").state == "active";

    std::string etcd_tag = detail::manifest_image_tag(detail::read_file_if_exists(manifests_ / "etcd.yaml").value_or(""));
    if (stacked && opt_.etcd_upgrade) {
      const std::string desired = detail::etcd_image_tag_for(opt_.target);
      if (detail::compare_etcd_tags(desired, etcd_tag) < 0) {
        inv_.out << "[upgrade/etcd] Non fatal issue encountered during upgrade: the desired etcd version \"" << desired
                 << "\" is older than the currently installed \"" << etcd_tag << "\". Skipping etcd upgrade\n";
      } else {
        etcd_tag = desired;
        if (auto error = upgrade_component("etcd", etcd_tag)) {
          // kubeadm restores the old manifest, and copies the data back only
          // when the previous etcd does not come back (it is dead, so that
          // is safe): a member whose kubelet stopped keeps running.
          inv_.out << "[upgrade/etcd] Failed to upgrade etcd: " << *error << "\n";
          rollback_manifests();
          if (!previous_etcd_available()) rollback_etcd_data();
          cleanup_staging();
          return "fatal error when trying to upgrade the etcd cluster, rolled the state back to pre-upgrade state: " +
                 *error;
        }
        inv_.out << "[upgrade/etcd] Waiting for etcd to become available\n";
      }
    }
    if (!opt_.dry_run)
      inv_.out << "[upgrade/staticpods] Writing new Static Pod manifests to \"" << node_path(inv_, staging_) << "\"\n";
    for (const char *component : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
      if (auto error = upgrade_component(component, etcd_tag)) {
        rollback();
        return "couldn't upgrade control plane. kubeadm has tried to recover everything into the earlier state. "
               "Errors faced: " + *error;
      }
    }
    if (!opt_.dry_run) finish(stacked);
    return std::nullopt;
  }

  // oldEtcdClient.WaitForClusterAvailable, on the node's real member (none
  // runs without the sandbox's API server).
  bool previous_etcd_available() {
    inv_.out << "[upgrade/etcd] Waiting for previous etcd to become available\n";
    const fs::path pki = inv_.root / "etc/kubernetes/pki/etcd";
    std::string why = "no etcd member on this node";
    if (ctx_.node.has_etcd_member() &&
        detail::etcd_reports_healthy(ctx_.node.etcd_client_port,
                                     {pki / "ca.crt", pki / "healthcheck-client.crt", pki / "healthcheck-client.key"},
                                     &why)) {
      inv_.out << "[upgrade/etcd] Etcd was rolled back and is now available\n";
      return true;
    }
    inv_.out << "[upgrade/etcd] Failed to healthcheck previous etcd: " << why << "\n";
    return false;
  }

  void rollback() {
    rollback_manifests();
    cleanup_staging();
  }

  // rollbackOldManifests
  void rollback_manifests() {
    for (const auto &component : moved_) {
      const fs::path backup = backup_manifests_ / (component + ".yaml");
      if (fs::exists(backup)) fs::rename(backup, manifests_ / (component + ".yaml"));
    }
    moved_.clear();
  }

  // rollbackEtcdData: RemoveAll and CopyDir in place, as kubeadm does.
  void rollback_etcd_data() {
    if (backup_etcd_.empty() || !fs::exists(backup_etcd_ / "etcd")) return;
    inv_.out << "[upgrade/etcd] Rolling back etcd data\n";
    fs::remove_all(inv_.root / "var/lib/etcd");
    detail::copy_tree(backup_etcd_ / "etcd", inv_.root / "var/lib/etcd");
    inv_.out << "[upgrade/etcd] Etcd data rollback successful\n";
  }

 private:
  void prepare_dirs(bool stacked) {
    detail::make_dirs(tmp_, 0700);
    const std::string ts = backup_timestamp();
    staging_ = make_temp_dir(tmp_, "kubeadm-upgraded-manifests");
    backup_manifests_ = make_unique_dir(tmp_, "kubeadm-backup-manifests-" + ts);
    if (stacked && opt_.etcd_upgrade) {
      // util.CopyDir is `cp -r /var/lib/etcd <backup>`: the data lands in <backup>/etcd.
      backup_etcd_ = make_unique_dir(tmp_, "kubeadm-backup-etcd-" + ts);
      const fs::path data = inv_.root / "var/lib/etcd";
      if (fs::exists(data)) detail::copy_tree(data, backup_etcd_ / "etcd");
    }
  }

  std::string render(const std::string &component, const std::string &etcd_tag) {
    const auto params = detail::control_plane_params(ctx_.sandbox, ctx_.node, opt_.target, etcd_tag);
    std::string text = detail::render_manifest(component, params);
    if (!opt_.patches_dir.empty())
      text = apply_patches(inv_.host_path(opt_.patches_dir), opt_.patches_dir, component, text, inv_.out);
    return text;
  }

  void renew_certificates(const std::string &component) {
    if (!opt_.renew_certificates || opt_.dry_run) return;
    for (const auto &cert : detail::certs_renewed_with(component, ctx_.sandbox.etcd == "stacked")) {
      inv_.out << "[upgrade/staticpods] Renewing " << cert << " certificate\n";
      if (!detail::renew_cert(inv_.root, cert, ctx_.sandbox.cert_validity_days))
        inv_.out << "[upgrade/staticpods] External CA detected, " << cert << " certificate can't be renewed\n";
    }
  }

  std::optional<std::string> upgrade_component(const std::string &component, const std::string &etcd_tag) {
    inv_.out << "[upgrade/staticpods] Preparing for \"" << component << "\" upgrade\n";
    renew_certificates(component);
    const std::string next = render(component, etcd_tag);
    const fs::path live = manifests_ / (component + ".yaml");
    const std::string current = detail::read_file_if_exists(live).value_or("");
    if (same_manifest(current, next)) {
      inv_.out << "[upgrade/staticpods] Current and new manifests of " << component << " are equal, skipping upgrade\n";
      return std::nullopt;
    }
    if (opt_.dry_run) {
      inv_.out << "[dryrun] Would replace \"" << node_path(inv_, live) << "\" with the manifest for "
               << (component == "etcd" ? etcd_tag : opt_.target.str()) << "\n";
      return std::nullopt;
    }
    const fs::path staged = staging_ / (component + ".yaml");
    const fs::path backup = backup_manifests_ / (component + ".yaml");
    detail::write_file(staged, next, 0600);
    if (!current.empty()) fs::rename(live, backup);
    fs::rename(staged, live);
    moved_.push_back(component);
    inv_.out << "[upgrade/staticpods] Moved new manifest to \"" << node_path(inv_, live)
             << "\" and backed up old manifest to \"" << node_path(inv_, backup) << "\"\n"
             << "[upgrade/staticpods] Waiting for the kubelet to restart the component\n"
             << "[upgrade/staticpods] This can take up to 5m0s\n";
    if (!kubelet_running_)
      return "static Pod hash for component " + component + " on Node " + ctx_.node.name +
             " did not change after 5m0s: timed out waiting for the condition";
    inv_.out << "[apiclient] Found 1 Pods for label selector component=" << component << "\n"
             << "[upgrade/staticpods] Component \"" << component << "\" upgraded successfully!\n";
    return std::nullopt;
  }

  void cleanup_staging() {
    std::error_code ignored;
    if (!staging_.empty()) fs::remove_all(staging_, ignored);
  }

  // CleanupDirs: the manifest backup stays; the etcd backup only when etcd
  // has a single member (keepEtcdDir = etcdUpgrade && !isHAEtcd).
  void finish(bool stacked) {
    cleanup_staging();
    int members = 0;
    for (const auto &n : ctx_.sandbox.nodes) members += n.is_control_plane() ? 1 : 0;
    if (stacked && members > 1 && !backup_etcd_.empty()) {
      std::error_code ignored;
      fs::remove_all(backup_etcd_, ignored);
    }
    const std::string version = opt_.target.str();
    detail::update_cluster(inv_.sandbox_dir, [&](detail::ClusterState &state) {
      detail::ClusterNode *n = state.find(ctx_.node.name);
      if (!n) return false;
      n->control_plane_version = version;
      return true;
    });
  }

  Invocation &inv_;
  const UpgradeContext &ctx_;
  const StaticPodUpgradeOptions &opt_;
  const fs::path manifests_, tmp_;
  fs::path staging_, backup_manifests_, backup_etcd_;
  std::vector<std::string> moved_;
  bool kubelet_running_ = true;
};

}  // namespace

std::optional<std::string> upgrade_static_pods(Invocation &inv, const UpgradeContext &ctx,
                                               const StaticPodUpgradeOptions &options) {
  StaticPodUpgrade upgrade(inv, ctx, options);
  try {
    return upgrade.run();
  } catch (const std::exception &e) {
    try {
      upgrade.rollback();
    } catch (const std::exception &) {
      // Report the first error; the backups stay in /etc/kubernetes/tmp.
    }
    return "couldn't upgrade control plane. kubeadm has tried to recover everything into the earlier state. "
           "Errors faced: " + std::string(e.what());
  }
}

}  // namespace kuphost::sandbox::sim
