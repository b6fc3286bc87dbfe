// The upgrade workflow through a real kup::Host (the host's PluginHost over a
// temporary node root) whose commands go to FakeKube: CRDs first, the backup
// on disk before the first apply, a bundle with a wrong digest refused before
// anything is unpacked, a rollout that never finishes timed out and rolled
// back by re-applying the saved objects.
#include <gtest/gtest.h>

#include <algorithm>

#include "calico_upgrade.h"
#include "fake_kube.h"
#include "node_host.h"

namespace kuphost_plugins::cni_calico {
namespace {

using kuphost::test::FakeKube;
using kuphost::test::NodeHost;
namespace fs = std::filesystem;

const char *kBase = "http://127.0.0.1:1/calico/v3.30.3/manifests";

std::string calico_yaml(const std::string &version) {
  return "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: calico-node\n  namespace: kube-system\n---\n"
         "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n"
         "  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: docker.io/calico/node:" +
         version + "\n";
}
std::string operator_yaml(const std::string &version) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tigera-operator\n---\n"
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tigera-operator\n  namespace: tigera-operator\n"
         "  annotations:\n    calico-version: " + version + "\n---\n"
         "apiVersion: operator.tigera.io/v1\nkind: APIServer\nmetadata:\n  name: default\n";
}
const char *kCrds =
    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: goldmanes.operator.tigera.io\n";

class CalicoUpgradeTest : public ::testing::Test {
 protected:
  explicit CalicoUpgradeTest(bool operator_install = false)
      : kube_(operator_install), node_(kuphost::RunMode::kApply, &kube_) {
    kube_.node_root = node_.h.root;
    settings_.version = KubeVersion::parse("v3.30.3");
    settings_.manifests_url = "http://127.0.0.1:1/calico/{version}/manifests";
    settings_.rollout_timeout_ms = 60 * 1000;
    kube_.urls[std::string(kBase) + "/calico.yaml"] = calico_yaml("v3.30.3");
    kube_.urls[std::string(kBase) + "/operator-crds.yaml"] = kCrds;
    kube_.urls[std::string(kBase) + "/tigera-operator.yaml"] = operator_yaml("v3.30.3");
  }
  UpgradeOutcome upgrade() {
    const auto install = detect_calico(node_.host());
    if (!install) throw std::runtime_error("no Calico detected");
    return run_upgrade(node_.host(), settings_, *install, KubeVersion::parse("v1.31.2"),
                       [this](const std::string &l) { progress_.push_back(l); });
  }
  std::vector<std::string> log_of(const std::string &prefix) const {
    std::vector<std::string> out;
    for (const auto &l : kube_.log)
      if (l.rfind(prefix, 0) == 0) out.push_back(l);
    return out;
  }
  fs::path backup_dir() const {
    for (const auto &e : fs::directory_iterator(node_.h.root / "etc/kubernetes/tmp")) return e.path();
    return {};
  }

  FakeKube kube_;
  NodeHost node_;
  CalicoSettings settings_;
  std::vector<std::string> progress_;
};

TEST_F(CalicoUpgradeTest, ManifestInstallIsUpgradedAfterTheBackupIsOnDisk) {
  std::vector<std::string> backup_files_at_first_apply;
  kube_.before_apply = [&](const std::string &) {
    if (!backup_files_at_first_apply.empty() || !fs::exists(node_.h.root / "etc/kubernetes/tmp")) return;
    for (const auto &e : fs::recursive_directory_iterator(node_.h.root / "etc/kubernetes/tmp"))
      if (e.path().filename().string().rfind("kuphost-backup-calico-", 0) != 0)
        backup_files_at_first_apply.push_back(e.path().filename().string());
  };
  const UpgradeOutcome outcome = upgrade();
  EXPECT_TRUE(outcome.changed);
  EXPECT_EQ(outcome.summary.rfind("Calico v3.29.1 -> v3.30.3 (manifest); the previous objects are in "
                                  "/etc/kubernetes/tmp/kuphost-backup-calico-", 0),
            0u)
      << outcome.summary;
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.30.3");
  EXPECT_EQ(log_of("apply"), std::vector<std::string>{"apply calico.yaml"});
  EXPECT_EQ(log_of("curl"), std::vector<std::string>{"curl " + std::string(kBase) + "/calico.yaml"});
  // Both objects were asked for before anything was applied.
  const auto first_apply = std::find(kube_.log.begin(), kube_.log.end(), "apply calico.yaml");
  EXPECT_EQ(std::count_if(kube_.log.begin(), first_apply, [](const std::string &l) { return l.rfind("get-f", 0) == 0; }), 2);
  std::sort(backup_files_at_first_apply.begin(), backup_files_at_first_apply.end());
  EXPECT_EQ(backup_files_at_first_apply, (std::vector<std::string>{"MANIFEST", "applied", "calico.yaml", "previous.yaml"}));

  const fs::path dir = backup_dir();
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  const std::string previous = kuphost::test::read_file(dir / "previous.yaml");
  EXPECT_NE(previous.find("docker.io/calico/node:v3.29.1"), std::string::npos) << previous;
  for (const char *stripped : {"uid", "resourceVersion", "creationTimestamp", "generation", "status"})
    EXPECT_EQ(previous.find(stripped), std::string::npos) << stripped << " kept in\n" << previous;
  const std::string manifest = kuphost::test::read_file(dir / "MANIFEST");
  EXPECT_NE(manifest.find("0600 " + kuphost::test::sha256_hex(previous) + " /etc/kubernetes/tmp/"), std::string::npos)
      << manifest;
  EXPECT_EQ(kuphost::test::read_file(dir / "applied/calico.yaml"), calico_yaml("v3.30.3"));
  EXPECT_EQ(node_.host().state_get("upgrade/backup").value_or(""), "/" + fs::relative(dir, node_.h.root).string());
}

TEST_F(CalicoUpgradeTest, RolloutThatNeverFinishesTimesOutAndIsRolledBack) {
  kube_.never_ready = {"docker.io/calico/node:v3.30.3"};
  settings_.rollout_timeout_ms = 30 * 1000;
  const int64_t start = node_.h.clock.now_;
  try {
    upgrade();
    FAIL() << "the upgrade succeeded";
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_TIMEOUT);
    const std::string message = e.what();
    EXPECT_NE(message.find("cni-calico: Calico did not converge within 30s: DaemonSet kube-system/calico-node: 0 of 3 "
                           "pods updated, 0 available; rolled back: the objects saved in /etc/kubernetes/tmp/"
                           "kuphost-backup-calico-"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("were re-applied and Calico v3.29.1 runs again"), std::string::npos) << message;
  }
  EXPECT_EQ(log_of("apply"), (std::vector<std::string>{"apply calico.yaml", "apply previous.yaml"}));
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.29.1");
  EXPECT_EQ(kube_.updated, kube_.desired);
  // Waited the timeout on the host clock, then a few polls for the rollback.
  EXPECT_GE(node_.h.clock.now_ - start, 30 * 1000);
  EXPECT_LT(node_.h.clock.now_ - start, 60 * 1000);
}

TEST_F(CalicoUpgradeTest, RollbackPhaseReappliesTheSavedObjects) {
  upgrade();
  kube_.log.clear();
  const std::string summary = roll_back_upgrade(node_.host(), settings_, [](const std::string &) {});
  EXPECT_EQ(log_of("apply"), std::vector<std::string>{"apply previous.yaml"});
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.29.1");
  EXPECT_NE(summary.find("Calico v3.29.1 runs again"), std::string::npos) << summary;
}

TEST_F(CalicoUpgradeTest, AlreadyAtTheTargetChangesNothing) {
  kube_.image = "docker.io/calico/node:v3.30.3";
  const UpgradeOutcome outcome = upgrade();
  EXPECT_FALSE(outcome.changed);
  EXPECT_EQ(outcome.summary, "Calico already at v3.30.3");
  EXPECT_TRUE(log_of("apply").empty());
  EXPECT_TRUE(log_of("curl").empty());
}

TEST_F(CalicoUpgradeTest, BundleWithAWrongDigestIsRefusedBeforeAnythingIsUnpacked) {
  kuphost::test::write_file(node_.h.root / "root/release-v3.30.3.tgz", "whatever bytes");
  settings_.bundle = "/root/release-v3.30.3.tgz";
  settings_.bundle_sha256 = std::string(64, 'a');
  try {
    upgrade();
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_INVALID_CONFIG);
    EXPECT_NE(std::string(e.what()).find("not the configured cni-calico.bundle-sha256"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(node_.h.root / "var/lib/kuphost/calico-v3.30.3"));
  EXPECT_FALSE(fs::exists(node_.h.root / "etc/kubernetes/tmp"));
  EXPECT_TRUE(log_of("apply").empty());
}

TEST_F(CalicoUpgradeTest, UnreachableManifestsUrlFailsBeforeAnyChange) {
  kube_.urls.clear();
  try {
    upgrade();
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_IO);
    EXPECT_EQ(std::string(e.what()), "cni-calico: cannot download " + std::string(kBase) +
                                         "/calico.yaml: curl: (22) The requested URL returned error: 404; set "
                                         "cni-calico.manifests-url or cni-calico.bundle for nodes without access");
  }
  EXPECT_TRUE(log_of("apply").empty());
  EXPECT_FALSE(fs::exists(node_.h.root / "etc/kubernetes/tmp"));
}

class CalicoOperatorUpgradeTest : public CalicoUpgradeTest {
 protected:
  CalicoOperatorUpgradeTest() : CalicoUpgradeTest(true) {}
};

TEST_F(CalicoOperatorUpgradeTest, CrdsAreAppliedBeforeTheOperatorFrom330) {
  kube_.unserved_kinds = {"APIServer"};
  const UpgradeOutcome outcome = upgrade();
  EXPECT_TRUE(outcome.changed) << outcome.summary;
  EXPECT_EQ(log_of("apply"), (std::vector<std::string>{"apply operator-crds.yaml", "apply tigera-operator.yaml"}));
  EXPECT_EQ(log_of("curl"), (std::vector<std::string>{"curl " + std::string(kBase) + "/operator-crds.yaml",
                                                       "curl " + std::string(kBase) + "/tigera-operator.yaml"}));
  // The APIServer kind is not served yet: skipped, not a failure.
  EXPECT_NE(std::find(kube_.log.begin(), kube_.log.end(), "get-f APIServer/default"), kube_.log.end());
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.30.3");
}

TEST(CalicoReleaseFiles, FollowTheDocsPerVersion) {
  const CalicoInstall op{CalicoInstall::Method::kOperator, ""}, manifest{CalicoInstall::Method::kManifest, ""};
  EXPECT_EQ(release_files(op, *KubeVersion::parse("v3.29.1")), std::vector<std::string>{"tigera-operator.yaml"});
  EXPECT_EQ(release_files(op, *KubeVersion::parse("v3.31.0")),
            (std::vector<std::string>{"operator-crds.yaml", "tigera-operator.yaml"}));
  EXPECT_EQ(release_files(op, *KubeVersion::parse("v3.32.0")),
            (std::vector<std::string>{"v1_crd_projectcalico_org.yaml", "tigera-operator.yaml"}));
  EXPECT_EQ(release_files(manifest, *KubeVersion::parse("v3.32.0")), std::vector<std::string>{"calico.yaml"});
}

}  // namespace
}  // namespace kuphost_plugins::cni_calico
