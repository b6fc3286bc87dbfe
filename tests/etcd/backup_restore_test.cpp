// The backup and restore jobs against a real etcd 3.4 on loopback, on a node
// laid out under a temporary root (etcd_node.h). Label etcd.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "backup_set/backup_set.h"
#include "core/backup_catalog.h"
#include "core/backup_description.h"
#include "core/backup_job.h"
#include "core/etcd_health.h"
#include "core/free_space.h"
#include "core/restore_job.h"
#include "etcd_node.h"
#include "snapshot/snapshot_trailer.h"
#include "test_support.h"

namespace kuphost::test::etcd {
namespace {

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class EtcdBackupRestoreTest : public ::testing::Test {
 protected:
  EtcdBackupRestoreTest() : node_(tmp_ / "node") {}

  eb::BackupResult backup(eb::BackupRequest request) {
    return eb::run_backup(node_.runner(), node_.resolver(), request, [this](const std::string &l) { log_ += l + "\n"; });
  }
  eb::BackupResult backup() { return backup(node_.backup_request()); }
  eb::RestoreResult restore(eb::RestoreRequest request) {
    return eb::run_restore(node_.runner(), node_.resolver(), real_waiting(), request,
                           [this](const std::string &l) { log_ += l + "\n"; });
  }

  TempDir tmp_;
  EtcdNode node_;
  std::string log_;
};

TEST_F(EtcdBackupRestoreTest, ABackupIsAVerifiedSnapshotPlusKubeadmLayoutCopiesAndTheNodesFiles) {
  node_.etcd().put_many("/registry/a/", 200);
  const auto result = backup();

  EXPECT_EQ(result.snapshot.method, eb::SnapshotMethod::kEtcdctl) << log_;
  const fs::path set = node_.host(result.set_path);
  EXPECT_EQ(result.set_path, "/var/lib/kuphost/etcd-backups/" + result.name);
  const auto verified = eb::verify_snapshot_trailer(set / "etcd-snapshot.db");
  EXPECT_EQ(verified.sha256_hex, result.snapshot.verified.sha256_hex);
  const auto d = eb::parse_description(read_file(set / "backup.yaml"));
  EXPECT_EQ(d.topology, "stacked");
  EXPECT_EQ(d.member_name, "cp1");
  EXPECT_EQ(d.data_dir, "/var/lib/etcd/data");
  EXPECT_GE(d.total_keys, 200);
  EXPECT_GT(d.revision, 1);  // put_many writes 1000 keys per transaction
  EXPECT_EQ(d.revision, *eb::live_revision(node_.runner(), node_.backup_request().etcd.endpoints.front()));
  EXPECT_TRUE(fs::exists(set / "files/etc/kubernetes/pki/etcd/ca.key"));
  EXPECT_TRUE(fs::exists(set / "files/etc/kubernetes/manifests/etcd.yaml"));
  EXPECT_TRUE(fs::exists(set / "files/var/lib/kubelet/config.yaml"));
  EXPECT_TRUE(fs::exists(set / "files/etc/apt/sources.list.d/kubernetes.list"));
  // Private: 0700 directories, 0600 files.
  EXPECT_EQ(fs::status(set).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(set / "etcd-snapshot.db").permissions(), fs::perms::owner_read | fs::perms::owner_write);

  // kubeadm's layouts, with the same timestamp.
  ASSERT_TRUE(result.etcd_copy);
  EXPECT_EQ(*result.etcd_copy, "/etc/kubernetes/tmp/kubeadm-backup-etcd-" + result.name.substr(15));
  EXPECT_TRUE(fs::exists(node_.host(*result.etcd_copy) / "etcd/member/snap/db"));
  ASSERT_TRUE(result.manifests_copy);
  EXPECT_EQ(read_file(node_.host(*result.manifests_copy) / "etcd.yaml"),
            read_file(node_.host("/etc/kubernetes/manifests/etcd.yaml")));
  for (const auto &s : {result.set_path, *result.etcd_copy, *result.manifests_copy}) {
    const auto report = eb::verify_set(node_.host(s));
    EXPECT_TRUE(report.ok()) << s << ": " << (report.ok() ? "" : eb::describe(report.problems.front()));
  }
  const auto listed = eb::list_backups(node_.resolver(), "/var/lib/kuphost/etcd-backups", "/etc/kubernetes/tmp");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].complete);
  EXPECT_EQ(listed[0].etcd_copy, result.etcd_copy);
}

TEST_F(EtcdBackupRestoreTest, RestoreBringsBackExactlyTheKeysOfTheBackupAndMovesNewerDataAside) {
  node_.etcd().put_many("/registry/first/", 100);
  const auto before = node_.etcd().entries_with_prefix("/registry/");
  const auto set = backup();
  node_.etcd().put_many("/registry/second/", 50);
  node_.etcd().put("/registry/first/5", "changed after the backup");
  node_.etcd().etcdctl({"del", "/registry/first/6"});
  node_.start_kubelet();

  // The member holds newer data: refused, and nothing changed.
  try {
    restore(node_.restore_request());
    FAIL() << "restore over newer data was not refused";
  } catch (const eb::RestoreRefused &e) {
    EXPECT_NE(std::string(e.what()).find("newer than the backup"), std::string::npos) << e.what();
  }
  EXPECT_EQ(node_.etcd().get("/registry/first/5"), "changed after the backup");
  EXPECT_TRUE(fs::exists(node_.host("/etc/kubernetes/manifests/etcd.yaml")));

  auto request = node_.restore_request(set.name);
  request.force = true;
  const auto result = restore(request);
  EXPECT_EQ(result.source, "snapshot");
  EXPECT_EQ(node_.etcd().entries_with_prefix("/registry/"), before) << log_;
  // The replaced member is kept, the manifests are back byte for byte.
  EXPECT_TRUE(fs::exists(node_.host(result.old_member) / "snap/db")) << result.old_member;
  EXPECT_EQ(read_file(node_.host("/etc/kubernetes/manifests/kube-apiserver.yaml")),
            read_file(node_.host(set.set_path) / "files/etc/kubernetes/manifests/kube-apiserver.yaml"));
  EXPECT_TRUE(fs::exists(node_.host(result.moved_manifests) / "etcd.yaml"));
}

TEST_F(EtcdBackupRestoreTest, AMemberThatDoesNotStartIsRestoredWithoutForce) {
  node_.etcd().put_many("/registry/k/", 20);
  const auto before = node_.etcd().entries_with_prefix("/registry/");
  backup();
  node_.start_kubelet();
  // The upgrade "broke" etcd: its database is garbage, so it cannot start.
  fs::rename(node_.host("/etc/kubernetes/manifests/etcd.yaml"), node_.host("/etc/kubernetes/etcd.yaml.away"));
  std::this_thread::sleep_for(300ms);
  ASSERT_FALSE(node_.etcd().running());
  write_file(node_.host("/var/lib/etcd/data/member/snap/db"), std::string(8192, 'x'));
  fs::rename(node_.host("/etc/kubernetes/etcd.yaml.away"), node_.host("/etc/kubernetes/manifests/etcd.yaml"));

  const auto result = restore(node_.restore_request());
  EXPECT_FALSE(result.member_revision);  // nothing readable: nothing newer to protect
  EXPECT_EQ(node_.etcd().entries_with_prefix("/registry/"), before) << log_;
}

TEST_F(EtcdBackupRestoreTest, ACorruptedSnapshotInTheSetIsRefusedBeforeAnythingChanges) {
  node_.etcd().put_many("/registry/k/", 20);
  const auto set = backup();
  node_.start_kubelet();
  const auto snapshot = node_.host(set.set_path) / "etcd-snapshot.db";
  std::string bytes = read_file(snapshot);
  bytes[bytes.size() / 2] ^= 0x01;
  write_file(snapshot, bytes);
  fs::permissions(snapshot, fs::perms::owner_read | fs::perms::owner_write);
  auto request = node_.restore_request();
  request.force = true;
  try {
    restore(request);
    FAIL() << "a corrupted set was restored";
  } catch (const eb::RestoreRefused &e) {
    EXPECT_NE(std::string(e.what()).find("etcd-snapshot.db"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(node_.etcd().running());
  EXPECT_TRUE(fs::exists(node_.host("/etc/kubernetes/manifests/etcd.yaml")));
}

TEST_F(EtcdBackupRestoreTest, WithoutEtcdctlTheSnapshotComesThroughTheGatewayAndIsVerified) {
  node_.etcd().put_many("/registry/k/", 20);
  const fs::path empty_path = tmp_ / "no-tools";
  fs::create_directories(empty_path);
  NodeRootRunner bare(node_.root(), empty_path.string());
  const auto result = eb::run_backup(bare, node_.resolver(), node_.backup_request(), [](const std::string &) {});
  EXPECT_EQ(result.snapshot.method, eb::SnapshotMethod::kGateway);
  EXPECT_FALSE(result.snapshot.status);  // no etcdctl/etcdutl to read it
  std::string notes;
  for (const auto &n : result.snapshot.notes) notes += n + "; ";
  EXPECT_NE(notes.find("etcdctl: not installed"), std::string::npos) << notes;
  EXPECT_NE(notes.find("crictl: not installed"), std::string::npos) << notes;
  eb::verify_snapshot_trailer(node_.host(result.set_path) / "etcd-snapshot.db");
}

TEST_F(EtcdBackupRestoreTest, RetentionKeepsTheNewestSetsAndRemovesTheirKubeadmCopiesAndIncompleteSets) {
  auto request = node_.backup_request();
  request.retention = 2;
  std::vector<eb::BackupResult> made;
  for (int i = 0; i < 3; ++i) {
    request.now = std::chrono::system_clock::now() + std::chrono::seconds(i * 10);
    made.push_back(backup(request));
  }
  // A set left by a killed run: no manifest.
  fs::create_directories(node_.host("/var/lib/kuphost/etcd-backups/kuphost-backup-2000-01-01-00-00-00"));
  request.now += 10s;
  made.push_back(backup(request));
  const auto listed = eb::list_backups(node_.resolver(), "/var/lib/kuphost/etcd-backups", "/etc/kubernetes/tmp");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name.stem, made[3].name);
  EXPECT_EQ(listed[1].name.stem, made[2].name);
  EXPECT_FALSE(fs::exists(node_.host(*made[0].etcd_copy)));
  EXPECT_FALSE(fs::exists(node_.host(*made[1].manifests_copy)));
  EXPECT_TRUE(fs::exists(node_.host(*made[2].etcd_copy)));
  EXPECT_FALSE(fs::exists(node_.host("/var/lib/kuphost/etcd-backups/kuphost-backup-2000-01-01-00-00-00")));
}

TEST_F(EtcdBackupRestoreTest, KillNineDuringABackupLeavesNoSetThatClaimsToBeComplete) {
  // A data dir big enough that a backup takes a while: 256 MiB beside the member.
  {
    std::string block(1 << 20, 'z');
    const auto pad = node_.host("/var/lib/etcd/data/padding");
    std::FILE *f = std::fopen(pad.c_str(), "wb");
    for (int i = 0; i < 256; ++i) std::fwrite(block.data(), 1, block.size(), f);
    std::fclose(f);
  }
  int incomplete_seen = 0;
  for (int delay_ms : {20, 60, 120, 250, 400, 700}) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        auto request = node_.backup_request();
        request.retention = 100;
        eb::run_backup(node_.runner(), node_.resolver(), request, [](const std::string &) {});
      } catch (...) {
      }
      ::_exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::this_thread::sleep_for(1100ms);  // the next backup gets its own second
    for (const auto &e : eb::list_backups(node_.resolver(), "/var/lib/kuphost/etcd-backups", "/etc/kubernetes/tmp")) {
      if (!e.complete) {
        ++incomplete_seen;
        continue;
      }
      const auto report = eb::verify_set(node_.host(e.node_path));
      EXPECT_TRUE(report.ok()) << e.node_path << " claims to be complete: " << eb::describe(report.problems.front());
    }
    for (const auto &dir : fs::directory_iterator(node_.host("/etc/kubernetes/tmp"))) {
      const auto manifest = eb::read_manifest(eb::real_file_system(), dir.path());
      if (manifest) {
        const auto report = eb::verify_set(dir.path());
        EXPECT_TRUE(report.ok()) << dir.path() << " claims to be complete";
      }
    }
  }
  EXPECT_GT(incomplete_seen, 0) << "no kill landed inside a backup; the test proves nothing";
}

TEST_F(EtcdBackupRestoreTest, ATooSmallFilesystemFailsInPreflightNamingTheSizeNeeded) {
  // kubeadm's layout copy of the data dir goes to /etc/kubernetes/tmp.
  const fs::path small = node_.host("/etc/kubernetes/tmp");
  fs::create_directories(small);
  // A real 8 MiB tmpfs (CI runs as root, as the node would).
  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=0700"), 0)
      << "mount tmpfs on " << small << ": " << std::strerror(errno) << " (the test needs root)";
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{small};
  auto request = node_.backup_request();
  try {
    backup(request);
    FAIL() << "the backup did not fail";
  } catch (const eb::BackupError &e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("not enough free space"), std::string::npos) << message;
    // etcd preallocates 64 MiB WAL segments: the data dir is far above 8 MiB.
    const auto data = eb::tree_bytes(node_.host("/var/lib/etcd/data"));
    ASSERT_GT(data, 64u << 20);
    EXPECT_NE(message.find("/etc/kubernetes/tmp needs " +
                           eb::human_bytes(data + eb::tree_bytes(node_.host("/etc/kubernetes/manifests")))),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("has 8.0 MiB free"), std::string::npos) << message;
    EXPECT_NE(message.find("MiB"), std::string::npos) << message;
  }
  EXPECT_TRUE(fs::is_empty(small)) << "preflight must fail before anything is written";
  EXPECT_FALSE(fs::exists(node_.host("/var/lib/kuphost/etcd-backups")));
  EXPECT_TRUE(node_.etcd().running());
}

TEST_F(EtcdBackupRestoreTest, AnEncryptedSetRoundTripsAndTheWrongKeyIsRefused) {
  node_.etcd().put_many("/registry/first/", 50);
  const auto before = node_.etcd().entries_with_prefix("/registry/");
  fs::create_directories(node_.host("/etc/kuphost"));
  write_file(node_.host("/etc/kuphost/backup.key"), std::string(64, 'a') + "\n");
  fs::permissions(node_.host("/etc/kuphost/backup.key"), fs::perms::owner_read | fs::perms::owner_write);
  auto request = node_.backup_request();
  request.pack.archive = "tar.zst";
  request.pack.key_file = "/etc/kuphost/backup.key";
  const auto set = backup(request);
  EXPECT_EQ(set.set_path, "/var/lib/kuphost/etcd-backups/" + set.name + ".tar.zst.kenc");
  EXPECT_FALSE(set.etcd_copy) << "a plaintext data-directory copy would defeat the encryption";
  EXPECT_FALSE(fs::exists(node_.host("/var/lib/kuphost/etcd-backups/" + set.name))) << "the directory stays behind";
  EXPECT_EQ(fs::status(node_.host(set.set_path)).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  // Nothing in the archive is readable without the key.
  const std::string bytes = read_file(node_.host(set.set_path));
  EXPECT_EQ(bytes.find("/registry/first/1"), std::string::npos);
  EXPECT_EQ(bytes.find("BEGIN"), std::string::npos);

  node_.etcd().put_many("/registry/second/", 10);
  node_.start_kubelet();
  auto wrong = node_.restore_request();
  wrong.force = true;
  write_file(node_.host("/etc/kuphost/other.key"), std::string(64, 'b'));
  fs::permissions(node_.host("/etc/kuphost/other.key"), fs::perms::owner_read | fs::perms::owner_write);
  wrong.key_file = "/etc/kuphost/other.key";
  try {
    restore(wrong);
    FAIL() << "the wrong key was accepted";
  } catch (const eb::RestoreRefused &e) {
    EXPECT_NE(std::string(e.what()).find("wrong encryption key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(node_.etcd().entries_with_prefix("/registry/second/").size(), 10u);

  auto right = node_.restore_request();
  right.force = true;
  right.key_file = "/etc/kuphost/backup.key";
  restore(right);
  EXPECT_EQ(node_.etcd().entries_with_prefix("/registry/"), before) << log_;
  // The scratch copy of the decrypted set is gone.
  for (const auto &item : fs::directory_iterator(node_.host("/var/lib/kuphost/etcd-backups")))
    EXPECT_EQ(item.path().filename().string().rfind(".restore-", 0), std::string::npos) << item.path();
}

TEST_F(EtcdBackupRestoreTest, WithoutEtcdctlOnTheNodeTheSnapshotIsTakenInsideTheEtcdContainer) {
  node_.etcd().put_many("/registry/k/", 20);
  // A crictl stand-in: `ps` names one running container, `exec ID CMD…`
  // runs CMD here, where the real etcdctl sees the node's paths as the etcd
  // container sees its hostPath volumes.
  const fs::path tools = tmp_ / "crictl-only";
  fs::create_directories(tools);
  write_file(tools / "crictl",
             "#!/bin/sh\ncase \"$1\" in\n  ps) echo 4f2a9c0e1b; exit 0 ;;\n"
             "  exec) [ \"$2\" = 4f2a9c0e1b ] || exit 1; shift 2; PATH=/usr/bin:/bin exec \"$@\" ;;\nesac\nexit 1\n");
  fs::permissions(tools / "crictl", fs::perms::owner_all);
  NodeRootRunner runner(node_.root(), tools.string());
  const auto result = eb::run_backup(runner, node_.resolver(), node_.backup_request(), [](const std::string &) {});
  EXPECT_EQ(result.snapshot.method, eb::SnapshotMethod::kCrictl);
  eb::verify_snapshot_trailer(node_.host(result.set_path) / "etcd-snapshot.db");
  // etcdctl wrote into the data dir (the container's volume); nothing is left there.
  EXPECT_FALSE(fs::exists(node_.host("/var/lib/etcd/data/kuphost-snapshot.db")));
  bool saw_exec = false;
  for (const auto &argv : runner.history())
    if (argv.size() > 3 && argv[0] == "crictl" && argv[1] == "exec" && argv[2] == "4f2a9c0e1b" && argv[3] == "etcdctl")
      saw_exec = true;
  EXPECT_TRUE(saw_exec);
}

TEST_F(EtcdBackupRestoreTest, AMemberWithPeersIsRestoredFromItsDataDirectoryCopy) {
  // etcd.yaml as on a member that joined a three-member cluster; etcd reads
  // --initial-cluster only for an empty data dir, so this member still runs.
  const fs::path manifest = node_.host("/etc/kubernetes/manifests/etcd.yaml");
  std::string yaml = read_file(manifest);
  const std::string flag = "--initial-cluster=cp1=" + node_.etcd().peer_url();
  yaml.replace(yaml.find(flag), flag.size(),
               flag + ",cp2=https://10.0.0.12:2380,cp3=https://10.0.0.13:2380");
  write_file(manifest, yaml);
  node_.etcd().put_many("/registry/first/", 30);
  const auto before = node_.etcd().entries_with_prefix("/registry/");
  const auto set = backup();
  ASSERT_TRUE(set.etcd_copy);
  node_.etcd().put("/registry/first/3", "changed after the backup");
  node_.start_kubelet();
  auto request = node_.restore_request();
  request.force = true;
  const auto result = restore(request);
  EXPECT_EQ(result.source, "data-directory copy");
  EXPECT_EQ(node_.etcd().entries_with_prefix("/registry/"), before) << log_;
  EXPECT_TRUE(fs::exists(node_.host(result.old_member) / "snap/db"));
}

TEST_F(EtcdBackupRestoreTest, ExternalEtcdIsASnapshotOnlyAndRestoreIsLeftToTheEtcdHosts) {
  node_.etcd().put_many("/registry/k/", 5);
  auto request = node_.backup_request();
  request.etcd = eb::external_cluster(read_file(node_.host("/etc/kubernetes/manifests/kube-apiserver.yaml")), {});
  // The apiserver's etcd client certificate, at kubeadm's path.
  const auto result = backup(request);
  EXPECT_FALSE(result.etcd_copy);
  EXPECT_EQ(eb::parse_description(read_file(node_.host(result.set_path) / "backup.yaml")).topology, "external");
  try {
    restore(node_.restore_request());
    FAIL() << "external etcd was restored";
  } catch (const eb::RestoreRefused &e) {
    EXPECT_NE(std::string(e.what()).find("etcd hosts"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kuphost::test::etcd
