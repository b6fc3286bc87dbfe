// Snapshots of a real etcd through etcdctl and through the v3 JSON gateway:
// the SHA-256 trailer, `snapshot status`, refusal of damaged files, and a
// restore that brings back exactly the keys written before the snapshot.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "etcdctl_snapshot.h"
#include "gateway_snapshot.h"
#include "process_command_runner.h"
#include "real_etcd.h"
#include "snapshot_error.h"
#include "snapshot_trailer.h"

namespace kuphost::test::etcd {
namespace {

namespace eb = kuphost_plugins::etcd_backup;
using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

unsigned mode_of(const std::filesystem::path &path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// The message verify_snapshot_trailer throws for `file`, or "" when it passes.
std::string trailer_error(const std::filesystem::path &file) {
  try {
    eb::verify_snapshot_trailer(file);
    return "";
  } catch (const eb::SnapshotError &e) {
    return e.what();
  }
}

enum class SnapshotPath { kEtcdctl, kGateway };

std::string name_of(SnapshotPath path) { return path == SnapshotPath::kEtcdctl ? "etcdctl" : "gateway"; }

class RealEtcdSnapshotTest : public ::testing::Test {
 protected:
  RealEtcdSnapshotTest() : pki_(EtcdPki::create(tmp_ / "pki", "cp-1")), etcd_(tmp_ / "etcd-1", pki_) {}

  void save(SnapshotPath path, const std::filesystem::path &file) {
    if (path == SnapshotPath::kEtcdctl) eb::save_snapshot_with_etcdctl(runner_, etcdctl_, etcd_.healthcheck_client(), file);
    else eb::save_snapshot_via_gateway(etcd_.healthcheck_client(), file);
  }

  // The store's current revision, as etcd reports it in a response header.
  int64_t current_revision() {
    const ProcessResult r = etcd_.etcdctl({"get", "/", "--prefix", "--limit=1", "-w", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return YAML::Load(r.out)["header"]["revision"].as<int64_t>();
  }

  TempDir tmp_;
  EtcdPki pki_;
  RealEtcd etcd_;
  ProcessCommandRunner runner_;
  eb::EtcdctlSettings etcdctl_{"/usr/bin/etcdctl"};
};

TEST_F(RealEtcdSnapshotTest, EtcdctlSnapshotHasItsTrailerAndStatus) {
  etcd_.put_many("/registry/test/k", 100);
  const auto file = tmp_ / "etcdctl.db";
  save(SnapshotPath::kEtcdctl, file);

  ASSERT_EQ(runner_.history().size(), 1u);
  const auto &argv = runner_.history()[0];
  EXPECT_EQ(argv[1], "--endpoints=" + etcd_.client_url());
  EXPECT_EQ(argv[2], "--cacert=" + pki_.ca_cert().string());
  EXPECT_EQ(argv[3], "--cert=" + pki_.healthcheck_client().cert.string());
  EXPECT_EQ(argv.back(), file.string());

  const eb::VerifiedSnapshot verified = eb::verify_snapshot_trailer(file);
  EXPECT_EQ(verified.database_bytes + 32, std::filesystem::file_size(file));
  EXPECT_EQ(mode_of(file), 0600u);
  const eb::SnapshotStatus status = eb::read_snapshot_status(runner_, "/usr/bin/etcdctl", file);
  EXPECT_EQ(status.revision, current_revision());
  EXPECT_GE(status.total_keys, 100);
  EXPECT_EQ(static_cast<uintmax_t>(status.total_size), verified.database_bytes);
  std::printf("[status] %s\n", eb::describe(status).c_str());
}

TEST_F(RealEtcdSnapshotTest, GatewaySnapshotHasItsTrailerAndStatus) {
  etcd_.put_many("/registry/test/k", 2000);  // > 32 KiB: several chunks
  const auto file = tmp_ / "gateway.db";
  const eb::GatewaySnapshot snapshot = eb::save_snapshot_via_gateway(etcd_.healthcheck_client(), file);
  EXPECT_GE(snapshot.messages, 3u);  // data chunks + the digest message
  EXPECT_EQ(snapshot.verified.database_bytes + 32, std::filesystem::file_size(file));
  EXPECT_EQ(snapshot.verified.sha256_hex, eb::verify_snapshot_trailer(file).sha256_hex);
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".part"));
  const eb::SnapshotStatus status = eb::read_snapshot_status(runner_, "/usr/bin/etcdctl", file);
  EXPECT_EQ(status.revision, current_revision());
  EXPECT_GE(status.total_keys, 2000);
}

TEST_F(RealEtcdSnapshotTest, GatewayAcceptsTheApiServerClientCertificateToo) {
  const auto file = tmp_ / "apiserver-client.db";
  EXPECT_NO_THROW(eb::save_snapshot_via_gateway(etcd_.apiserver_client(), file));
  EXPECT_EQ(trailer_error(file), "");
}

TEST_F(RealEtcdSnapshotTest, BothPathsWriteTheSameBytesForTheSameRevision) {
  etcd_.put_many("/registry/test/k", 500);
  save(SnapshotPath::kEtcdctl, tmp_ / "a.db");
  save(SnapshotPath::kGateway, tmp_ / "b.db");
  EXPECT_EQ(sha256_hex(read_file(tmp_ / "a.db")), sha256_hex(read_file(tmp_ / "b.db")));
}

TEST_F(RealEtcdSnapshotTest, FlippedByteIsRefusedAsCorrupt) {
  etcd_.put_many("/registry/test/k", 100);
  const auto file = tmp_ / "flipped.db";
  save(SnapshotPath::kGateway, file);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(4096 + 100);
    const char byte = static_cast<char>(f.get());
    f.seekp(4096 + 100);
    f.put(static_cast<char>(byte ^ 0x01));
  }
  EXPECT_EQ(trailer_error(file), "snapshot " + file.string() + ": SHA-256 trailer does not match its content; the file is corrupt");
  // etcd's own restore agrees that the file is damaged.
  const ProcessResult restore = run_process({"/usr/bin/etcdctl", "snapshot", "restore", file.string(), "--data-dir",
                                             (tmp_ / "restore-flipped").string()},
                                            {"ETCDCTL_API=3"});
  EXPECT_NE(restore.exit_code, 0) << restore.out;
}

TEST_F(RealEtcdSnapshotTest, TruncatedFileIsRefused) {
  const auto file = tmp_ / "truncated.db";
  save(SnapshotPath::kEtcdctl, file);
  const auto size = std::filesystem::file_size(file);

  std::filesystem::resize_file(file, size - 100);  // the trailer is cut
  EXPECT_NE(trailer_error(file).find("the file is truncated or not an etcd snapshot"), std::string::npos)
      << trailer_error(file);
  EXPECT_EQ(trailer_error(file).rfind("snapshot " + file.string() + ": ", 0), 0u);

  // A whole 512-byte block shorter still looks like it has a trailer: the
  // hash catches it.
  save(SnapshotPath::kEtcdctl, tmp_ / "block-short.db");
  std::filesystem::resize_file(tmp_ / "block-short.db", size - 512);
  EXPECT_NE(trailer_error(tmp_ / "block-short.db").find("the file is corrupt"), std::string::npos);

  std::filesystem::resize_file(file, 0);
  EXPECT_NE(trailer_error(file).find("0 bytes"), std::string::npos);
  EXPECT_NE(trailer_error(tmp_ / "missing.db").find("cannot read it"), std::string::npos);
}

TEST_F(RealEtcdSnapshotTest, ClientWithoutCertificateIsRefused) {
  eb::EtcdClientTls anonymous = etcd_.healthcheck_client();
  anonymous.client_cert.clear();
  anonymous.client_key.clear();

  const auto via_gateway = tmp_ / "anonymous-gateway.db";
  try {
    eb::save_snapshot_via_gateway(anonymous, via_gateway, std::chrono::seconds(5));
    FAIL() << "the gateway gave a snapshot to a client without a certificate";
  } catch (const eb::SnapshotError &e) {
    EXPECT_NE(std::string(e.what()).find(etcd_.client_url()), std::string::npos) << e.what();
    std::printf("[no client cert, gateway] %s\n", e.what());
  }
  EXPECT_FALSE(std::filesystem::exists(via_gateway));
  EXPECT_FALSE(std::filesystem::exists(via_gateway.string() + ".part"));

  const auto via_etcdctl = tmp_ / "anonymous-etcdctl.db";
  eb::EtcdctlSettings quick = etcdctl_;
  // A refused handshake is retried until --command-timeout expires (the whole
  // 5 min default); --dial-timeout alone does not end it (etcdctl 3.4.23).
  quick.dial_timeout = std::chrono::seconds(1);
  quick.command_timeout = std::chrono::seconds(3);
  try {
    eb::save_snapshot_with_etcdctl(runner_, quick, anonymous, via_etcdctl);
    FAIL() << "etcdctl got a snapshot without a client certificate";
  } catch (const eb::SnapshotError &e) {
    EXPECT_NE(std::string(e.what()).find("etcdctl snapshot save from " + etcd_.client_url() + " failed"),
              std::string::npos)
        << e.what();
    std::printf("[no client cert, etcdctl] %s\n", e.what());
  }
  EXPECT_FALSE(std::filesystem::exists(via_etcdctl));
}

TEST_F(RealEtcdSnapshotTest, TenThousandKeysTimings) {
  auto start = Clock::now();
  etcd_.put_many("/registry/bulk/key-", 10000);
  const long put_ms = ms_since(start);

  start = Clock::now();
  save(SnapshotPath::kEtcdctl, tmp_ / "10k-etcdctl.db");
  const long etcdctl_ms = ms_since(start);
  start = Clock::now();
  save(SnapshotPath::kGateway, tmp_ / "10k-gateway.db");
  const long gateway_ms = ms_since(start);
  start = Clock::now();
  const eb::VerifiedSnapshot verified = eb::verify_snapshot_trailer(tmp_ / "10k-etcdctl.db");
  const long verify_ms = ms_since(start);
  EXPECT_EQ(trailer_error(tmp_ / "10k-gateway.db"), "");
  const eb::SnapshotStatus status = eb::read_snapshot_status(runner_, "/usr/bin/etcdctl", tmp_ / "10k-gateway.db");
  EXPECT_GE(status.total_keys, 10000);

  std::printf("[timing] 10k keys: put %ld ms; snapshot via etcdctl %ld ms, via gateway %ld ms; trailer check %ld ms; "
              "%ju bytes; %s\n",
              put_ms, etcdctl_ms, gateway_ms, verify_ms, verified.database_bytes + 32, eb::describe(status).c_str());
  RecordProperty("snapshot_10k_etcdctl_ms", std::to_string(etcdctl_ms));
  RecordProperty("snapshot_10k_gateway_ms", std::to_string(gateway_ms));
}

class RestoreTest : public RealEtcdSnapshotTest, public ::testing::WithParamInterface<SnapshotPath> {};

TEST_P(RestoreTest, RestoreBringsBackExactlyTheKeysWrittenBeforeTheSnapshot) {
  etcd_.put_many("/registry/before/key-", 300);
  etcd_.put("/registry/before/overwritten", "old");
  const auto before = etcd_.entries_with_prefix("/registry/");
  ASSERT_EQ(before.size(), 301u);

  const auto file = tmp_ / ("restore-" + name_of(GetParam()) + ".db");
  save(GetParam(), file);
  ASSERT_EQ(trailer_error(file), "");

  etcd_.put_many("/registry/after/key-", 50);
  etcd_.put("/registry/before/overwritten", "new");
  ASSERT_EQ(etcd_.entries_with_prefix("/registry/").size(), 351u);

  RealEtcdOptions restored_options;
  restored_options.restore_from = file;
  RealEtcd restored(tmp_ / "etcd-restored", pki_, restored_options);
  EXPECT_EQ(restored.entries_with_prefix("/registry/"), before);
  EXPECT_EQ(restored.get("/registry/before/overwritten"), "old");
  EXPECT_TRUE(restored.entries_with_prefix("/registry/after/").empty());
}

INSTANTIATE_TEST_SUITE_P(BothPaths, RestoreTest, ::testing::Values(SnapshotPath::kEtcdctl, SnapshotPath::kGateway),
                         [](const auto &info) { return name_of(info.param); });

}  // namespace
}  // namespace kuphost::test::etcd
