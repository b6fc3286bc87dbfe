// The sandbox's real etcd members (Debian's /usr/bin/etcd and etcdctl, which
// these tests require and never skip): kuphost-apiserver runs one per stacked
// control plane while its etcd.yaml is in place, the node's etcdctl reaches it
// with the node's paths, and nothing outlives the sandbox.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "eventually.h"
#include "kuphost/sandbox/apiserver.h"
#include "kuphost/sandbox/etcd.h"
#include "loopback.h"
#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kHealthyTimeout = 30s;

bool process_exists(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 10s) {
  return kuphost::test::eventually(condition, timeout);
}

class EtcdMemberTest : public ::testing::Test {
 protected:
  void start(const std::string &nodes, const std::string &version = "v1.30.5") {
    ASSERT_TRUE(::access("/usr/bin/etcd", X_OK) == 0 && ::access("/usr/bin/etcdctl", X_OK) == 0)
        << "these tests need Debian's etcd-server and etcd-client (scripts/install-deps.sh)";
    Spec spec = test_spec(dir_.path() / "c", nodes);
    spec.kubernetes_version = version;
    sb_ = make_sandbox(spec);
    std::string message, error;
    ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  }
  void TearDown() override {
    if (!sb_.dir.empty()) apiserver_down(sb_.dir, nullptr, nullptr);
  }

  const Node &node(const std::string &name) { return *sb_.find(name); }
  void wait_healthy(const std::string &name) {
    std::string error;
    ASSERT_TRUE(wait_for_etcd_member(sb_.dir, name, kHealthyTimeout, &error)) << error;
  }
  // etcdctl on the node as kubeadm's docs (and the etcd-backup plugin) run
  // it: node paths, the well-known endpoint.
  RunResult etcdctl(const std::string &name, std::vector<std::string> args,
                    const std::string &endpoint = "https://127.0.0.1:2379") {
    args.insert(args.begin(), {"--endpoints=" + endpoint, "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
                               "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                               "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key", "--dial-timeout=3s",
                               "--command-timeout=20s"});
    return run_on(node(name), "etcdctl", args);
  }
  fs::path manifest(const std::string &name) { return node(name).root / "etc/kubernetes/manifests/etcd.yaml"; }
  fs::path aside(const std::string &name) { return node(name).root / "etc/kubernetes/etcd.yaml.aside"; }
  bool stopped(const std::string &name, int pid) {
    return eventually([&] {
      const auto status = etcd_member_status(sb_.dir, name);
      return !status.running && !process_exists(pid) && !detail::accepts_connections(status.client_port);
    });
  }

  TempDir dir_;
  Sandbox sb_;
};

TEST_F(EtcdMemberTest, NodeEtcdctlReportsTheMemberHealthy) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane,w1:worker"));
  wait_healthy("cp1");
  const auto status = etcd_member_status(sb_.dir, "cp1");
  EXPECT_TRUE(status.running);
  EXPECT_NE(status.client_port, 2379);
  EXPECT_NE(status.peer_port, 2380);
  EXPECT_TRUE(fs::exists(sb_.dir / "cluster/etcd-cp1.pid"));
  EXPECT_TRUE(fs::exists(node("cp1").root / "var/lib/etcd/member/wal"));
  EXPECT_EQ(etcd_member_status(sb_.dir, "w1").client_port, 0);
  const RunResult r = etcdctl("cp1", {"endpoint", "health"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out + r.err, "is healthy")) << r.out << r.err;
  // Logged as every node command is.
  EXPECT_TRUE(contains(read_text(node("cp1").root / "var/log/kuphost-sandbox/commands.log"), "etcdctl"));
}

TEST_F(EtcdMemberTest, KeyPutThroughTheNodesEtcdctlReadsBack) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  RunResult r = etcdctl("cp1", {"put", "/kuphost/test", "hello"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = etcdctl("cp1", {"get", "/kuphost/test", "--print-value-only"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  // The node's address on 2379 is the same member.
  r = etcdctl("cp1", {"get", "/kuphost/test", "--print-value-only"}, "https://" + node("cp1").address + ":2379");
  EXPECT_EQ(r.out, "hello\n") << r.err;
}

TEST_F(EtcdMemberTest, MovingTheManifestAsideStopsTheMemberAndBackRestartsItWithItsData) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  ASSERT_EQ(etcdctl("cp1", {"put", "kept", "yes"}).exit_code, 0);
  const int pid = etcd_member_status(sb_.dir, "cp1").pid;

  fs::rename(manifest("cp1"), aside("cp1"));
  EXPECT_TRUE(stopped("cp1", pid)) << "etcd pid " << pid << " still running";
  EXPECT_FALSE(fs::exists(sb_.dir / "cluster/etcd-cp1.pid"));

  fs::rename(aside("cp1"), manifest("cp1"));
  wait_healthy("cp1");
  EXPECT_NE(etcd_member_status(sb_.dir, "cp1").pid, pid);
  const RunResult r = etcdctl("cp1", {"get", "kept", "--print-value-only"});
  EXPECT_EQ(r.out, "yes\n") << r.err;
}

TEST_F(EtcdMemberTest, StoppedKubeletFreezesTheMemberUntilItRunsAgain) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  const int pid = etcd_member_status(sb_.dir, "cp1").pid;
  ASSERT_EQ(run_on(node("cp1"), "systemctl", {"stop", "kubelet"}).exit_code, 0);
  fs::rename(manifest("cp1"), aside("cp1"));
  // Containers outlive their kubelet: nothing stops it yet.
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(etcd_member_status(sb_.dir, "cp1").running);
  ASSERT_EQ(run_on(node("cp1"), "systemctl", {"start", "kubelet"}).exit_code, 0);
  EXPECT_TRUE(stopped("cp1", pid));
}

TEST_F(EtcdMemberTest, SnapshotSaveAndStatusUseNodePaths) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  ASSERT_EQ(etcdctl("cp1", {"put", "k", "v"}).exit_code, 0);
  RunResult r = etcdctl("cp1", {"snapshot", "save", "/var/lib/x.db"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::is_regular_file(node("cp1").root / "var/lib/x.db"));
  EXPECT_GT(fs::file_size(node("cp1").root / "var/lib/x.db"), 0u);
  r = run_on(node("cp1"), "etcdctl", {"snapshot", "status", "/var/lib/x.db", "-w", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\"totalKey\"")) << r.out;
}

// The etcd-backup plugin's restore: snapshot restore with the node's address
// as peer URL, swap the data dir while the static Pod is away, put it back.
// etcd 3.4 starts the restored member from its WAL and ignores the
// --initial-* flags; the member keeps the peer URL it was restored with.
TEST_F(EtcdMemberTest, RestoredDataDirIsServedAfterTheManifestReturns) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  ASSERT_EQ(etcdctl("cp1", {"put", "k", "before"}).exit_code, 0);
  const std::string snapshot = "/var/lib/kuphost/backups/set1/etcd-snapshot.db";
  fs::create_directories(node("cp1").root / "var/lib/kuphost/backups/set1");
  ASSERT_EQ(etcdctl("cp1", {"snapshot", "save", snapshot}).exit_code, 0);
  ASSERT_EQ(etcdctl("cp1", {"put", "k", "after"}).exit_code, 0);

  const std::string peer = "https://" + node("cp1").address + ":2380";
  RunResult r = run_on(node("cp1"), "etcdctl",
                       {"snapshot", "restore", snapshot, "--data-dir=/var/lib/etcd-restore-1", "--name=cp1",
                        "--initial-cluster=cp1=" + peer, "--initial-advertise-peer-urls=" + peer});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(node("cp1").root / "var/lib/etcd-restore-1/member/wal"));

  const int pid = etcd_member_status(sb_.dir, "cp1").pid;
  fs::rename(manifest("cp1"), aside("cp1"));
  ASSERT_TRUE(stopped("cp1", pid));
  fs::rename(node("cp1").root / "var/lib/etcd", node("cp1").root / "var/lib/etcd.old");
  fs::rename(node("cp1").root / "var/lib/etcd-restore-1", node("cp1").root / "var/lib/etcd");
  fs::rename(aside("cp1"), manifest("cp1"));
  wait_healthy("cp1");

  r = etcdctl("cp1", {"get", "k", "--print-value-only"});
  EXPECT_EQ(r.out, "before\n") << r.err;
  r = etcdctl("cp1", {"member", "list"});
  EXPECT_TRUE(contains(r.out, "cp1, " + peer)) << r.out;
}

TEST_F(EtcdMemberTest, SandboxDownLeavesNoEtcdBehind) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  const auto status = etcd_member_status(sb_.dir, "cp1");
  std::string message, error;
  ASSERT_TRUE(apiserver_down(sb_.dir, &message, &error)) << error;
  // Reaped by the server before it exited: gone at once, not <defunct>.
  EXPECT_FALSE(process_exists(status.pid));
  EXPECT_FALSE(detail::accepts_connections(status.client_port));
  EXPECT_FALSE(etcd_member_status(sb_.dir, "cp1").running);
}

TEST_F(EtcdMemberTest, RemovedSandboxYamlStopsTheServerAndItsMembers) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  const auto member = etcd_member_status(sb_.dir, "cp1");
  const int server = apiserver_status(sb_.dir).pid;
  fs::remove(sb_.dir / "sandbox.yaml");
  EXPECT_TRUE(eventually([&] { return !process_exists(member.pid) && !process_exists(server); }));
  EXPECT_FALSE(detail::accepts_connections(member.client_port));
}

// PR_SET_PDEATHSIG: even a server that had no chance to stop them takes its
// members along.
TEST_F(EtcdMemberTest, KilledServerTakesItsMembersAlong) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  wait_healthy("cp1");
  const auto member = etcd_member_status(sb_.dir, "cp1");
  ASSERT_EQ(::kill(apiserver_status(sb_.dir).pid, SIGKILL), 0);
  EXPECT_TRUE(eventually([&] { return !etcd_member_status(sb_.dir, "cp1").running; }));
  EXPECT_TRUE(eventually([&] { return !detail::accepts_connections(member.client_port); }));
}

TEST_F(EtcdMemberTest, FaultsApplyToTheNodesEtcdctl) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane"));
  write_text(node("cp1").root / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"etcdctl snapshot save\"\n  exit: 5\n  stderr: \"disk full: injected\"\n");
  const RunResult r = run_on(node("cp1"), "etcdctl", {"snapshot", "save", "/var/lib/y.db"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_TRUE(contains(r.err, "disk full: injected")) << r.err;
  EXPECT_FALSE(fs::exists(node("cp1").root / "var/lib/y.db"));
}

// kubeadm's etcd upgrade (1.31 -> 1.32 moves etcd to 3.5.16-0) rewrites
// etcd.yaml after copying the live data dir: the member restarts, as the
// kubelet restarts the Pod, with its data.
TEST_F(EtcdMemberTest, KubeadmUpgradeRestartsTheMemberWithItsData) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane,w1:worker", "v1.31.4"));
  wait_healthy("cp1");
  ASSERT_EQ(etcdctl("cp1", {"put", "survives", "upgrade"}).exit_code, 0);
  const int pid = etcd_member_status(sb_.dir, "cp1").pid;
  install_package(node("cp1"), "kubeadm", "1.32.2");
  const RunResult apply = run_on(node("cp1"), "kubeadm", {"upgrade", "apply", "v1.32.2", "-y"});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(image_of(node("cp1"), "etcd"), "registry.k8s.io/etcd:3.5.16-0");
  const auto backups = tmp_dirs(node("cp1"), "kubeadm-backup-etcd-");
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_TRUE(fs::exists(backups[0] / "etcd/member/wal"));
  EXPECT_TRUE(eventually([&] { return etcd_member_status(sb_.dir, "cp1").pid != pid; }));
  wait_healthy("cp1");
  const RunResult r = etcdctl("cp1", {"get", "survives", "--print-value-only"});
  EXPECT_EQ(r.out, "upgrade\n") << r.err;
}

// A failed etcd upgrade (the kubelet is stopped) puts the old manifest back;
// the previous member still answers, so kubeadm leaves its data alone.
TEST_F(EtcdMemberTest, FailedEtcdUpgradeKeepsTheDataOfAMemberThatStillAnswers) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane,w1:worker", "v1.31.4"));
  wait_healthy("cp1");
  ASSERT_EQ(etcdctl("cp1", {"put", "written", "before"}).exit_code, 0);
  const auto before = etcd_member_status(sb_.dir, "cp1");
  const std::string old_manifest = read_text(manifest("cp1"));
  install_package(node("cp1"), "kubeadm", "1.32.2");
  ASSERT_EQ(run_on(node("cp1"), "systemctl", {"stop", "kubelet"}).exit_code, 0);
  const RunResult apply = run_on(node("cp1"), "kubeadm",
                                 {"upgrade", "apply", "v1.32.2", "-y", "--ignore-preflight-errors=ControlPlaneNodesReady"});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_TRUE(contains(apply.err, "fatal error when trying to upgrade the etcd cluster, rolled the state back")) << apply.err;
  EXPECT_TRUE(contains(apply.out, "[upgrade/etcd] Etcd was rolled back and is now available")) << apply.out;
  EXPECT_FALSE(contains(apply.out, "Rolling back etcd data")) << apply.out;
  EXPECT_EQ(read_text(manifest("cp1")), old_manifest);
  ASSERT_EQ(run_on(node("cp1"), "systemctl", {"start", "kubelet"}).exit_code, 0);
  std::this_thread::sleep_for(500ms);  // a few supervisor polls: nothing to restart
  EXPECT_EQ(etcd_member_status(sb_.dir, "cp1").pid, before.pid);
  const RunResult r = etcdctl("cp1", {"get", "written", "--print-value-only"});
  EXPECT_EQ(r.out, "before\n") << r.err;
}

TEST_F(EtcdMemberTest, TwoStackedControlPlanesFormOneCluster) {
  ASSERT_NO_FATAL_FAILURE(start("cp1:first-control-plane,cp2:other-control-plane,w1:worker"));
  wait_healthy("cp1");
  wait_healthy("cp2");
  RunResult r = etcdctl("cp1", {"member", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, ", cp1, ")) << r.out;
  EXPECT_TRUE(contains(r.out, ", cp2, ")) << r.out;
  ASSERT_EQ(etcdctl("cp1", {"put", "shared", "by-cp1"}).exit_code, 0);
  // Read on cp2's member, reached through cp2's address from cp1.
  r = etcdctl("cp1", {"get", "shared", "--print-value-only"}, "https://" + node("cp2").address + ":2379");
  EXPECT_EQ(r.out, "by-cp1\n") << r.err;
}

}  // namespace
}  // namespace kuphost::sandbox::testing
