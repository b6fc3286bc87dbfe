// etcd-backup end to end on the sandbox: the kuphost executable, the plugin
// through the ABI, the node's etcdctl running the REAL etcdctl against the
// sandbox's REAL etcd member (a static pod the sandbox's kubelet stand-in
// runs while /etc/kubernetes/manifests/etcd.yaml exists). Labels cluster, etcd.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cluster_test_support.h"

namespace kuphost::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

class EtcdBackupSandboxTest : public ::testing::Test {
 protected:
  EtcdBackupSandboxTest()
      : cluster_(SandboxClusterOptions{"cp1:first-control-plane,w1:worker", "v1.30.5", "debian-12", "simulated"}) {}

  // The node's own etcdctl (node-sim), with kubeadm's node paths.
  ProcessResult etcdctl(std::vector<std::string> args) const {
    std::vector<std::string> argv{(cluster_.root("cp1") / "usr/bin/etcdctl").string(),
                                  "--endpoints=https://127.0.0.1:2379",
                                  "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
                                  "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                                  "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key",
                                  "--dial-timeout=2s",
                                  "--command-timeout=5s"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {"ETCDCTL_API=3"});
  }
  void wait_for_etcd() const {
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    ProcessResult r;
    while (std::chrono::steady_clock::now() < deadline) {
      r = etcdctl({"endpoint", "health"});
      if (r.exit_code == 0) return;
      std::this_thread::sleep_for(200ms);
    }
    FAIL() << "the sandbox's etcd member never became healthy: " << all_output(r);
  }
  std::string get(const std::string &key) const {
    const auto r = etcdctl({"get", key, "--print-value-only"});
    EXPECT_EQ(r.exit_code, 0) << all_output(r);
    return r.out;
  }
  ProcessResult kuphost(std::vector<std::string> args) const { return cluster_.kuphost("cp1", std::move(args)); }
  ProcessResult apply_with_backup() const {
    return kuphost({"--plugins", "apt,etcd-backup", "apply", "-y", "v1.31.2"});
  }
  fs::path only_child(const fs::path &dir, const std::string &prefix) const {
    std::vector<fs::path> found;
    for (const auto &item : fs::directory_iterator(dir))
      if (item.path().filename().string().rfind(prefix, 0) == 0) found.push_back(item.path());
    EXPECT_EQ(found.size(), 1u) << dir << " " << prefix;
    return found.empty() ? fs::path() : found.front();
  }

  SandboxCluster cluster_;
};

TEST_F(EtcdBackupSandboxTest, ApplyBacksUpEtcdAndTheBackupListsAndVerifies) {
  wait_for_etcd();
  ASSERT_EQ(etcdctl({"put", "/registry/kuphost/before", "1"}).exit_code, 0);
  const auto applied = apply_with_backup();
  ASSERT_EQ(applied.exit_code, 0) << all_output(applied);
  const std::string log = all_output(applied);
  EXPECT_NE(log.find("[upgrade/backup] Back up etcd and the control plane"), std::string::npos) << log;
  EXPECT_NE(log.find("with etcdctl"), std::string::npos) << log;
  EXPECT_NE(log.find("SHA-256 trailer verified"), std::string::npos) << log;
  EXPECT_NE(log.find("backup set /var/lib/kuphost/etcd-backups/kuphost-backup-"), std::string::npos) << log;
  EXPECT_NE(log.find("MANIFEST.sha256 written last"), std::string::npos) << log;

  const auto list = kuphost({"backup", "list"});
  ASSERT_EQ(list.exit_code, 0) << all_output(list);
  EXPECT_NE(list.out.find("kuphost-backup-"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("complete"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("/etc/kubernetes/tmp/kubeadm-backup-etcd-"), std::string::npos) << list.out;
  const auto json = kuphost({"backup", "list", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << all_output(json);
  const YAML::Node listed = YAML::Load(json.out);
  ASSERT_EQ(listed["backups"].size(), 1u) << json.out;
  EXPECT_TRUE(listed["backups"][0]["complete"].as<bool>());
  EXPECT_GT(listed["backups"][0]["revision"].as<long>(), 1);

  const auto verified = kuphost({"backup", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << all_output(verified);
  EXPECT_NE(verified.out.find("verified"), std::string::npos) << verified.out;

  // A flipped byte in the kubeadm-layout copy and a file missing from the set.
  const fs::path root = cluster_.root("cp1");
  // Ours, as listed (kubeadm's own upgrade leaves another, later one).
  const fs::path etcd_copy = root / listed["backups"][0]["etcdCopy"].as<std::string>().substr(1);
  const fs::path db = etcd_copy / "etcd/member/snap/db";
  std::string bytes = read_file(db);
  bytes[bytes.size() / 3] ^= 0x20;
  write_file(db, bytes);
  fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
  const fs::path set = only_child(root / "var/lib/kuphost/etcd-backups", "kuphost-backup-");
  fs::remove(set / "files/etc/kubernetes/admin.conf");
  const auto broken = kuphost({"backup", "verify"});
  EXPECT_NE(broken.exit_code, 0) << all_output(broken);
  EXPECT_NE(broken.out.find("etcd/member/snap/db: content changed"), std::string::npos) << all_output(broken);
  EXPECT_NE(broken.out.find("files/etc/kubernetes/admin.conf: missing"), std::string::npos) << all_output(broken);
  EXPECT_NE(broken.err.find("failed verification: 2 problems"), std::string::npos) << broken.err;
}

TEST_F(EtcdBackupSandboxTest, RestoreBringsBackTheKeysOfTheBackupOnlyWhenConfirmedAndForcedOverNewerData) {
  wait_for_etcd();
  ASSERT_EQ(etcdctl({"put", "/registry/kuphost/before", "1"}).exit_code, 0);
  const auto applied = apply_with_backup();
  ASSERT_EQ(applied.exit_code, 0) << all_output(applied);
  ASSERT_EQ(etcdctl({"put", "/registry/kuphost/after", "2"}).exit_code, 0);

  const auto unconfirmed = kuphost({"backup", "restore"});
  EXPECT_EQ(unconfirmed.exit_code, 2) << all_output(unconfirmed);
  EXPECT_NE(unconfirmed.err.find("pass -y"), std::string::npos) << unconfirmed.err;
  const auto newer = kuphost({"backup", "restore", "-y"});
  EXPECT_EQ(newer.exit_code, 2) << all_output(newer);
  EXPECT_NE(newer.err.find("newer than the backup"), std::string::npos) << newer.err;
  EXPECT_EQ(get("/registry/kuphost/after"), "2\n");

  const auto restored = kuphost({"backup", "restore", "-y", "--force"});
  ASSERT_EQ(restored.exit_code, 0) << all_output(restored);
  EXPECT_NE(restored.out.find("etcd is healthy"), std::string::npos) << restored.out;
  EXPECT_EQ(get("/registry/kuphost/before"), "1\n");
  EXPECT_EQ(get("/registry/kuphost/after"), "");
  EXPECT_TRUE(fs::exists(cluster_.root("cp1") / "etc/kubernetes/manifests/kube-apiserver.yaml"));
}

TEST_F(EtcdBackupSandboxTest, AFailedControlPlaneStageKeepsAHealthyMembersNewerData) {
  wait_for_etcd();
  write_file(cluster_.root("cp1") / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"kubeadm upgrade apply\"\n  exit: 1\n  stderr: \"[upgrade/apply] FATAL: simulated\"\n");
  ASSERT_EQ(etcdctl({"put", "/registry/kuphost/before", "1"}).exit_code, 0);
  const auto failed = apply_with_backup();
  EXPECT_NE(failed.exit_code, 0) << all_output(failed);
  const std::string log = all_output(failed);
  EXPECT_NE(log.find("etcd is healthy at"), std::string::npos) << log;
  EXPECT_NE(log.find("no restore needed"), std::string::npos) << log;
  EXPECT_EQ(get("/registry/kuphost/before"), "1\n");
}

}  // namespace
}  // namespace kuphost::test
