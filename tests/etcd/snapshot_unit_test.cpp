// The snapshot library's parts that need no server: the gateway's JSON
// stream, base64, `snapshot status` JSON, the trailer rule, endpoints, and
// etcdctl's command line and error reporting through the command seam.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "etcdctl_snapshot.h"
#include "gateway_stream_decoder.h"
#include "https_post_stream.h"
#include "snapshot_error.h"
#include "snapshot_status.h"
#include "snapshot_trailer.h"
#include "test_support.h"

namespace kuphost_plugins::etcd_backup {
namespace {

using kuphost::test::TempDir;

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), static_cast<int>(n));
  return out;
}

std::string sha256(std::string_view data) {
  unsigned char digest[32];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char *>(digest), size);
}

std::string message_text(const std::function<void()> &f) {
  try {
    f();
  } catch (const SnapshotError &e) {
    return e.what();
  }
  return "";
}

TEST(Base64, DecodesWithAndWithoutPadding) {
  EXPECT_EQ(decode_base64("YWJj"), "abc");
  EXPECT_EQ(decode_base64("YWI="), "ab");
  EXPECT_EQ(decode_base64("YQ=="), "a");
  EXPECT_EQ(decode_base64(""), "");
  const std::string binary = random_bytes(32 * 1024);
  EXPECT_EQ(decode_base64(base64(binary)), binary);
  EXPECT_THROW(decode_base64("YWJ"), SnapshotError);
  EXPECT_THROW(decode_base64("Y!!="), SnapshotError);
}

TEST(GatewayStreamDecoder, ReassemblesMessagesSplitAnywhere) {
  const std::string chunk1 = random_bytes(32768), chunk2 = random_bytes(100), digest = random_bytes(32);
  // As etcd 3.4 sends it: remaining_bytes as a string, omitted when 0.
  const std::string body = "{\"result\":{\"remaining_bytes\":\"132\",\"blob\":\"" + base64(chunk1) + "\"}}\n" +
                           "{\"result\":{\"blob\":\"" + base64(chunk2) + "\"}}\n" + "{\"result\":{\"blob\":\"" +
                           base64(digest) + "\"}}\n";
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, body.size()}) {
    std::string out;
    GatewayStreamDecoder decoder([&out](std::string_view bytes) { out.append(bytes); });
    for (size_t i = 0; i < body.size(); i += piece) decoder.feed(std::string_view(body).substr(i, piece));
    decoder.finish();
    EXPECT_EQ(out, chunk1 + chunk2 + digest) << "piece " << piece;
    EXPECT_EQ(decoder.messages(), 3u);
    EXPECT_EQ(decoder.bytes(), out.size());
  }
}

TEST(GatewayStreamDecoder, LastMessageWithoutNewlineAndHeadersAreFine) {
  std::string out;
  GatewayStreamDecoder decoder([&out](std::string_view bytes) { out.append(bytes); });
  decoder.feed("{\"result\":{\"header\":{\"revision\":\"5\"},\"version\":\"3.6.0\",\"blob\":\"YWJj\"}}");
  decoder.finish();
  EXPECT_EQ(out, "abc");
}

TEST(GatewayStreamDecoder, ErrorMessagesAndGarbageAreReported) {
  GatewayStreamDecoder v1([](std::string_view) {});
  EXPECT_EQ(message_text([&] {
              v1.feed("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\","
                      "\"http_status\":\"Service Unavailable\"}}\n");
            }),
            "the snapshot stream failed: etcdserver: no leader (gRPC code 14)");
  GatewayStreamDecoder v2([](std::string_view) {});
  EXPECT_NE(message_text([&] { v2.feed("{\"error\":{\"code\":7,\"message\":\"permission denied\"}}\n"); })
                .find("permission denied (gRPC code 7)"),
            std::string::npos);
  GatewayStreamDecoder garbage([](std::string_view) {});
  EXPECT_NE(message_text([&] { garbage.feed("<html>502</html>\n"); }).find("snapshot stream:"), std::string::npos);
  GatewayStreamDecoder empty([](std::string_view) {});
  EXPECT_EQ(message_text([&] { empty.finish(); }), "the snapshot stream ended without any data");
  GatewayStreamDecoder cut([](std::string_view) {});
  cut.feed("{\"result\":{\"blob\":\"YWJj");
  EXPECT_NE(message_text([&] { cut.finish(); }), "");
}

TEST(SnapshotStatus, ParsesEtcdctlAndEtcdutlJson) {
  const SnapshotStatus s34 =
      parse_snapshot_status_json("{\"hash\":3579503453,\"revision\":4,\"totalKey\":7,\"totalSize\":20480}");
  EXPECT_EQ(s34.hash, 3579503453u);
  EXPECT_EQ(s34.revision, 4);
  EXPECT_EQ(s34.total_keys, 7);
  EXPECT_EQ(s34.total_size, 20480);
  EXPECT_EQ(s34.storage_version, "");
  EXPECT_EQ(describe(s34), "revision 4, 7 keys, 0.0 MB");
  const SnapshotStatus s36 = parse_snapshot_status_json(
      "{\"hash\":1,\"revision\":10001,\"totalKey\":10004,\"totalSize\":2039808,\"version\":\"3.6.0\"}\n");
  EXPECT_EQ(s36.storage_version, "3.6.0");
  EXPECT_EQ(describe(s36), "revision 10001, 10004 keys, 2.0 MB, storage version 3.6.0");
  EXPECT_THROW(parse_snapshot_status_json("{\"hash\":1}"), SnapshotError);
  EXPECT_THROW(parse_snapshot_status_json("Error: snapshot file not found"), SnapshotError);
}

TEST(SnapshotTrailer, FollowsEtcdutlsRule) {
  EXPECT_TRUE(has_sha256_trailer(4096 + 32));
  EXPECT_FALSE(has_sha256_trailer(4096));
  EXPECT_FALSE(has_sha256_trailer(4096 + 31));
  EXPECT_TRUE(has_sha256_trailer(32));
  EXPECT_FALSE(has_sha256_trailer(0));

  TempDir tmp;
  const std::string database = random_bytes(3 * 4096);
  kuphost::test::write_file(tmp / "good.db", database + sha256(database));
  const VerifiedSnapshot ok = verify_snapshot_trailer(tmp / "good.db");
  EXPECT_EQ(ok.database_bytes, database.size());
  EXPECT_EQ(ok.sha256_hex, kuphost::test::sha256_hex(database));

  kuphost::test::write_file(tmp / "bad.db", database + sha256(database + "x"));
  EXPECT_EQ(message_text([&] { verify_snapshot_trailer(tmp / "bad.db"); }),
            "snapshot " + (tmp / "bad.db").string() + ": SHA-256 trailer does not match its content; the file is corrupt");
  kuphost::test::write_file(tmp / "raw.db", database);  // a member/snap/db copy: no trailer
  EXPECT_EQ(message_text([&] { verify_snapshot_trailer(tmp / "raw.db"); }),
            "snapshot " + (tmp / "raw.db").string() +
                ": 12288 bytes is not a bbolt database plus a 32-byte SHA-256 trailer (size % 512 must be 32); "
                "the file is truncated or not an etcd snapshot");
}

TEST(HttpsEndpoint, ParsesKubeadmShapedUrls) {
  EXPECT_EQ(parse_https_endpoint("https://127.0.0.1:2379").host, "127.0.0.1");
  EXPECT_EQ(parse_https_endpoint("https://127.0.0.1:2379/").port, "2379");
  EXPECT_EQ(parse_https_endpoint("https://[::1]:2379").host, "::1");
  EXPECT_EQ(parse_https_endpoint("https://etcd-0.example:2379").host, "etcd-0.example");
  EXPECT_THROW(parse_https_endpoint("http://127.0.0.1:2379"), SnapshotError);
  EXPECT_THROW(parse_https_endpoint("https://127.0.0.1"), SnapshotError);
  EXPECT_THROW(parse_https_endpoint("https://127.0.0.1:2379/v3"), SnapshotError);
  EXPECT_THROW(parse_https_endpoint("127.0.0.1:2379"), SnapshotError);
}

class ScriptedRunner : public CommandRunner {
 public:
  explicit ScriptedRunner(CommandResult result) : result_(std::move(result)) {}
  CommandResult run(const Command &command) override {
    seen = command;
    return result_;
  }
  Command seen;

 private:
  CommandResult result_;
};

TEST(EtcdctlSnapshot, CommandLineIsEtcdctl34And35Compatible) {
  EtcdClientTls member{"https://127.0.0.1:2379", "/etc/kubernetes/pki/etcd/ca.crt",
                       "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                       "/etc/kubernetes/pki/etcd/healthcheck-client.key"};
  EXPECT_EQ(etcdctl_snapshot_save_argv({}, member, "/backup/etcd-snapshot.db"),
            (std::vector<std::string>{"etcdctl", "--endpoints=https://127.0.0.1:2379",
                                      "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
                                      "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                                      "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key", "--dial-timeout=5000ms",
                                      "--command-timeout=300000ms", "snapshot", "save", "/backup/etcd-snapshot.db"}));
}

TEST(EtcdctlSnapshot, FailureQuotesEtcdctlsErrorLineNotItsLogs) {
  CommandResult failed;
  failed.exit_code = 1;
  failed.err =
      "{\"level\":\"info\",\"ts\":1,\"caller\":\"snapshot/v3_snapshot.go:65\",\"msg\":\"created temporary db file\"}\n"
      "{\"level\":\"warn\",\"ts\":2,\"msg\":\"retrying of unary invoker failed\"}\n"
      "Error: context deadline exceeded\n";
  ScriptedRunner runner(failed);
  EtcdClientTls member{"https://127.0.0.1:2379", "ca.crt", "", ""};
  EXPECT_EQ(message_text([&] { save_snapshot_with_etcdctl(runner, {}, member, "/nonexistent/snap.db"); }),
            "etcdctl snapshot save from https://127.0.0.1:2379 failed (exit code 1): Error: context deadline exceeded");
  EXPECT_EQ(runner.seen.env, std::vector<std::string>{"ETCDCTL_API=3"});
  EXPECT_FALSE(runner.seen.read_only);
  EXPECT_GT(runner.seen.timeout.count(), 0);
  // No client cert configured: no --cert/--key flags at all.
  for (const auto &arg : runner.seen.argv) EXPECT_NE(arg.rfind("--cert", 0), 0u) << arg;
}

TEST(EtcdctlSnapshot, StatusRunsReadOnlyAndParses) {
  CommandResult ok;
  ok.exit_code = 0;
  ok.out = "{\"hash\":9,\"revision\":42,\"totalKey\":50,\"totalSize\":98304}";
  ScriptedRunner runner(ok);
  const SnapshotStatus status = read_snapshot_status(runner, "etcdutl", "/b/snap.db");
  EXPECT_EQ(status.revision, 42);
  EXPECT_EQ(runner.seen.argv, (std::vector<std::string>{"etcdutl", "snapshot", "status", "/b/snap.db", "-w", "json"}));
  EXPECT_TRUE(runner.seen.read_only);
}

}  // namespace
}  // namespace kuphost_plugins::etcd_backup
