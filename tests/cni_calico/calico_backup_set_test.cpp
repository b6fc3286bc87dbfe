// The Calico backup in this run's backup set (kuphost.backup-set/1 offered by
// a small in-memory fake of etcd-backup's table): previous.yaml and the
// applied manifests attached, "set:<path>" recorded, rollback reading them
// back through the extension and applying them from stdin; a changed copy
// stops the rollback; no set, or a provider without attach_file, keeps the
// /etc/kubernetes/tmp directory.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "calico_upgrade.h"
#include "fake_kube.h"
#include "node_host.h"

namespace kuphost_plugins::cni_calico {
namespace {

using kuphost::test::FakeKube;
using kuphost::test::NodeHost;
namespace fs = std::filesystem;

constexpr const char *kSet = "/var/lib/kuphost/etcd-backups/kuphost-backup-2026-11-27-07-10-00";

// etcd-backup's table as cni-calico sees it; files live in `attached`.
struct FakeBackupSet {
  FakeBackupSet() {
    table.struct_size = sizeof table;
    table.plugin_ctx = this;
    table.current = [](const kup_backup_set *self, const kup_sink *out, const kup_error *error) -> kup_status {
      const auto &me = *static_cast<FakeBackupSet *>(self->plugin_ctx);
      if (!me.has_set) return fail(error, KUP_E_NOT_FOUND, "etcd-backup made no backup in this run");
      out->write(out, kSet, std::strlen(kSet));
      return KUP_OK;
    };
    table.attach_file = [](const kup_backup_set *self, kup_str plugin, kup_str name, const void *bytes, size_t len,
                           uint32_t, const kup_sink *out, const kup_error *) -> kup_status {
      auto &me = *static_cast<FakeBackupSet *>(self->plugin_ctx);
      const std::string key = std::string(kup::to_sv(plugin)) + "/" + std::string(kup::to_sv(name));
      me.attached[key] = std::string(static_cast<const char *>(bytes), len);
      const std::string stored = std::string(kSet) + ".attached/" + key;
      out->write(out, stored.data(), stored.size());
      return KUP_OK;
    };
    table.read_attached = [](const kup_backup_set *self, kup_str plugin, kup_str name, const kup_sink *out,
                             const kup_error *error) -> kup_status {
      const auto &me = *static_cast<FakeBackupSet *>(self->plugin_ctx);
      const std::string key = std::string(kup::to_sv(plugin)) + "/" + std::string(kup::to_sv(name));
      if (me.tampered) return fail(error, KUP_E_IO, key + " does not match its SHA-256");
      const auto it = me.attached.find(key);
      if (it == me.attached.end()) return fail(error, KUP_E_NOT_FOUND, key + " was never attached");
      out->write(out, it->second.data(), it->second.size());
      return KUP_OK;
    };
  }
  static kup_status fail(const kup_error *error, kup_status code, const std::string &message) {
    error->set(error, code, kup::to_kup(message), kup::to_kup(""));
    return code;
  }

  kup_backup_set table{};
  std::map<std::string, std::string> attached;
  bool has_set = true;
  bool tampered = false;
};

class CalicoBackupSetTest : public ::testing::Test {
 protected:
  CalicoBackupSetTest() : kube_(false), node_(kuphost::RunMode::kApply, &kube_) {
    kube_.node_root = node_.h.root;
    settings_.version = KubeVersion::parse("v3.30.3");
    settings_.manifests_url = "http://127.0.0.1:1/calico/{version}/manifests";
    settings_.rollout_timeout_ms = 60 * 1000;
    kube_.urls["http://127.0.0.1:1/calico/v3.30.3/manifests/calico.yaml"] =
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n"
        "  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: docker.io/calico/node:v3.30.3\n";
  }
  UpgradeOutcome upgrade(const kup_backup_set *set) {
    return run_upgrade(node_.host(), settings_, *detect_calico(node_.host()), KubeVersion::parse("v1.31.2"),
                       [this](const std::string &l) { progress_.push_back(l); }, set);
  }
  bool has_directory_backup() const {
    const fs::path tmp = node_.h.root / "etc/kubernetes/tmp";
    if (!fs::exists(tmp)) return false;
    for (const auto &e : fs::directory_iterator(tmp))
      if (e.path().filename().string().rfind("kuphost-backup-calico-", 0) == 0) return true;
    return false;
  }
  std::string progress_text() const {
    std::string all;
    for (const auto &l : progress_) all += l + "\n";
    return all;
  }

  FakeKube kube_;
  NodeHost node_;
  CalicoSettings settings_;
  FakeBackupSet set_;
  std::vector<std::string> progress_;
};

TEST_F(CalicoBackupSetTest, TheBackupGoesIntoTheRunsSetAndRollbackReadsItBack) {
  const UpgradeOutcome outcome = upgrade(&set_.table);
  EXPECT_TRUE(outcome.changed);
  EXPECT_FALSE(has_directory_backup());
  ASSERT_EQ(set_.attached.count("cni-calico/previous.yaml"), 1u);
  EXPECT_NE(set_.attached["cni-calico/previous.yaml"].find("docker.io/calico/node:v3.29.1"), std::string::npos);
  EXPECT_EQ(set_.attached.count("cni-calico/applied/calico.yaml"), 1u);
  EXPECT_EQ(node_.host().state_get("upgrade/backup").value_or(""), std::string("set:") + kSet);
  EXPECT_NE(progress_text().find(std::string("to ") + kSet + ".attached/cni-calico/previous.yaml in the backup set " +
                                 kSet),
            std::string::npos)
      << progress_text();
  EXPECT_NE(outcome.summary.find(std::string("the previous objects are in the backup set ") + kSet), std::string::npos)
      << outcome.summary;

  kube_.log.clear();
  const std::string summary = roll_back_upgrade(node_.host(), settings_, [](const std::string &) {}, &set_.table);
  EXPECT_EQ(kube_.log.size() >= 1 ? kube_.log[0] : "", "apply -");  // from stdin: nothing decrypted lies on disk
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.29.1");
  EXPECT_NE(summary.find("Calico v3.29.1 runs again"), std::string::npos) << summary;
}

TEST_F(CalicoBackupSetTest, AChangedCopyInTheSetStopsTheRollback) {
  upgrade(&set_.table);
  set_.tampered = true;
  kube_.log.clear();
  const kup::Error e = kuphost::test::error_of(
      [&] { roll_back_upgrade(node_.host(), settings_, [](const std::string &) {}, &set_.table); });
  EXPECT_EQ(e.code(), KUP_E_IO);
  EXPECT_NE(std::string(e.what()).find("cni-calico/previous.yaml does not match its SHA-256; re-apply " +
                                       std::string(kSet) + ".attached/cni-calico/previous.yaml by hand"),
            std::string::npos)
      << e.what();
  EXPECT_TRUE(kube_.log.empty());
  EXPECT_EQ(kube_.image, "docker.io/calico/node:v3.30.3");
  // Without the extension (etcd-backup left out of the rollback) it says so too.
  EXPECT_EQ(kuphost::test::error_of([&] { roll_back_upgrade(node_.host(), settings_, [](const std::string &) {}); })
                .code(),
            KUP_E_NOT_FOUND);
}

TEST_F(CalicoBackupSetTest, NoSetOrAnOlderProviderKeepsTheDirectory) {
  set_.has_set = false;
  upgrade(&set_.table);
  EXPECT_TRUE(set_.attached.empty());
  EXPECT_TRUE(has_directory_backup());
  EXPECT_EQ(node_.host().state_get("upgrade/backup").value_or("").rfind("/etc/kubernetes/tmp/kuphost-backup-calico-", 0),
            0u);
  EXPECT_NE(progress_text().find("not keeping the backup in this run's backup set: etcd-backup made no backup"),
            std::string::npos)
      << progress_text();
}

TEST_F(CalicoBackupSetTest, AProviderWithoutAttachFileIsNotAskedToAttach) {
  set_.table.struct_size = KUP_BACKUP_SET_MIN_SIZE;  // built against the first header: ends after read_file
  upgrade(&set_.table);
  EXPECT_TRUE(set_.attached.empty());
  EXPECT_TRUE(has_directory_backup());
  EXPECT_NE(progress_text().find("cannot attach files"), std::string::npos) << progress_text();
}

}  // namespace
}  // namespace kuphost_plugins::cni_calico
