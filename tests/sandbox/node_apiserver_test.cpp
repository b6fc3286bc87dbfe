// Each control plane's own kube-apiserver "static Pod": kuphost-apiserver
// serves the node's etc/kubernetes/pki/apiserver.crt on the node's
// apiserverPort while kube-apiserver.yaml is in the manifests directory, so a
// renewed serving certificate shows once the manifest has been moved away and
// back, as the certs plugin restarts it. TLS is spoken with OpenSSL directly.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include "eventually.h"
#include "kuphost/sandbox/apiserver.h"
#include "loopback.h"
#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

using namespace std::chrono_literals;

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  return kuphost::test::eventually(condition, timeout);
}

struct SslCtxFree { void operator()(SSL_CTX *c) const { SSL_CTX_free(c); } };
struct SslFree { void operator()(SSL *s) const { SSL_free(s); } };
struct BioFree { void operator()(BIO *b) const { BIO_free_all(b); } };

// What one HTTPS request to 127.0.0.1:port showed.
struct Exchange {
  CertPtr served;        // the server's certificate
  std::string response;  // the whole HTTP response
};

// GET `path` over TLS, trusting only `ca` and presenting the client pair
// when given. nullopt when the connection or handshake fails.
std::optional<Exchange> https_get(int port, const fs::path &ca, const std::string &path,
                                  const fs::path &client_cert = {}, const fs::path &client_key = {}) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx || SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr) != 1) return std::nullopt;
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!client_cert.empty() && (SSL_CTX_use_certificate_file(ctx.get(), client_cert.c_str(), SSL_FILETYPE_PEM) != 1 ||
                               SSL_CTX_use_PrivateKey_file(ctx.get(), client_key.c_str(), SSL_FILETYPE_PEM) != 1))
    return std::nullopt;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_ssl_connect(ctx.get()));
  const std::string address = "127.0.0.1:" + std::to_string(port);
  BIO_set_conn_hostname(bio.get(), address.c_str());
  if (BIO_do_connect(bio.get()) != 1 || BIO_do_handshake(bio.get()) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  SSL *ssl = nullptr;
  BIO_get_ssl(bio.get(), &ssl);
  Exchange result;
  result.served.reset(SSL_get1_peer_certificate(ssl));
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n";
  if (BIO_write(bio.get(), request.data(), static_cast<int>(request.size())) != static_cast<int>(request.size()))
    return std::nullopt;
  char buffer[4096];
  for (int n; (n = BIO_read(bio.get(), buffer, sizeof buffer)) > 0;) result.response.append(buffer, n);
  ERR_clear_error();
  return result;
}

bool same_serial(const X509 &a, const X509 &b) {
  return ASN1_INTEGER_cmp(X509_get0_serialNumber(&a), X509_get0_serialNumber(&b)) == 0;
}

// A fresh kube-apiserver serving certificate (new key, random serial) that
// the node's cluster CA signs, as `kubeadm certs renew apiserver` writes it.
void write_renewed_apiserver_pair(const fs::path &pki) {
  const CertPtr ca = load_cert_file(pki / "ca.crt");
  const PkeyPtr ca_key = load_key_file(pki / "ca.key");
  ASSERT_TRUE(ca && ca_key);
  PkeyPtr key(EVP_EC_gen("P-256"));
  ASSERT_TRUE(key);
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
  BN_rand(serial.get(), 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char *>("kube-apiserver"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, ca.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto &[nid, value] : {std::pair{NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                                   std::pair{NID_ext_key_usage, "serverAuth"},
                                   std::pair{NID_subject_alt_name, "DNS:kubernetes,IP:127.0.0.1"}}) {
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    ASSERT_TRUE(ext);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  ASSERT_GT(X509_sign(cert.get(), ca_key.get(), EVP_sha256()), 0);
  std::unique_ptr<BIO, BioFree> cert_out(BIO_new(BIO_s_mem())), key_out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_out.get(), cert.get());
  PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  const auto text = [](BIO *bio) {
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(size));
  };
  write_text(pki / "apiserver.crt", text(cert_out.get()));
  write_text(pki / "apiserver.key", text(key_out.get()));
}

class NodeApiserverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sb_ = make_sandbox(test_spec(dir_.path() / "c", "cp1:first-control-plane,cp2:other-control-plane,w1:worker"));
    std::string message, error;
    ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  }
  void TearDown() override { apiserver_down(sb_.dir, nullptr, nullptr); }

  const Node &cp1() { return *sb_.find("cp1"); }
  fs::path pki() { return cp1().root / "etc/kubernetes/pki"; }
  fs::path manifest() { return cp1().root / "etc/kubernetes/manifests/kube-apiserver.yaml"; }
  fs::path aside() { return cp1().root / "etc/kubernetes/kube-apiserver.yaml.aside"; }
  std::optional<Exchange> get(const std::string &path = "/healthz") {
    return https_get(cp1().apiserver_port, pki() / "ca.crt", path);
  }
  bool refused() { return !detail::accepts_connections(cp1().apiserver_port); }
  bool serves(const fs::path &cert_file) {
    const CertPtr expected = load_cert_file(cert_file);
    const auto exchange = get();
    return expected && exchange && exchange->served && same_serial(*exchange->served, *expected);
  }
  std::string server_log() { return read_text(sb_.dir / "cluster/apiserver.log"); }

  TempDir dir_;
  Sandbox sb_;
};

TEST_F(NodeApiserverTest, ServesTheNodesOwnCertificateAndTheApi) {
  ASSERT_GT(cp1().apiserver_port, 0);
  const auto exchange = get();
  ASSERT_TRUE(exchange) << "no TLS on 127.0.0.1:" << cp1().apiserver_port;
  ASSERT_TRUE(exchange->served);
  const CertPtr on_disk = load_cert_file(pki() / "apiserver.crt");
  EXPECT_TRUE(same_serial(*exchange->served, *on_disk));
  EXPECT_EQ(common_name(*exchange->served), "kube-apiserver");
  EXPECT_TRUE(exchange->response.rfind("HTTP/1.1 200", 0) == 0) << exchange->response;
  EXPECT_TRUE(contains(exchange->response, "\r\n\r\nok")) << exchange->response;
  // Not the sandbox's cluster-level certificate that the main port serves.
  const CertPtr cluster_level = load_cert_file(sb_.dir / "cluster/pki/apiserver.crt");
  EXPECT_FALSE(same_serial(*exchange->served, *cluster_level));

  // The same router: /version, and the API with the node's CA-signed client
  // certificate (system:masters) but not without one.
  const auto version = get("/version");
  ASSERT_TRUE(version);
  EXPECT_TRUE(contains(version->response, "\"gitVersion\"")) << version->response;
  const auto nodes = https_get(cp1().apiserver_port, pki() / "ca.crt", "/api/v1/nodes",
                               pki() / "apiserver-kubelet-client.crt", pki() / "apiserver-kubelet-client.key");
  ASSERT_TRUE(nodes);
  EXPECT_TRUE(nodes->response.rfind("HTTP/1.1 200", 0) == 0) << nodes->response;
  EXPECT_TRUE(contains(nodes->response, "\"w1\"")) << nodes->response;
  const auto anonymous = get("/api/v1/nodes");
  ASSERT_TRUE(anonymous);
  EXPECT_TRUE(anonymous->response.rfind("HTTP/1.1 401", 0) == 0) << anonymous->response;

  // The other control plane has its own port and certificate; a worker none.
  const Node &cp2 = *sb_.find("cp2");
  ASSERT_GT(cp2.apiserver_port, 0);
  EXPECT_NE(cp2.apiserver_port, cp1().apiserver_port);
  const auto other = https_get(cp2.apiserver_port, cp2.root / "etc/kubernetes/pki/ca.crt", "/healthz");
  ASSERT_TRUE(other && other->served);
  EXPECT_TRUE(same_serial(*other->served, *load_cert_file(cp2.root / "etc/kubernetes/pki/apiserver.crt")));
  EXPECT_EQ(sb_.find("w1")->apiserver_port, 0);
}

TEST_F(NodeApiserverTest, RenewedCertificateIsServedAfterTheStaticPodRestarts) {
  ASSERT_TRUE(serves(pki() / "apiserver.crt"));
  const CertPtr old_cert = load_cert_file(pki() / "apiserver.crt");
  ASSERT_NO_FATAL_FAILURE(write_renewed_apiserver_pair(pki()));
  // A running kube-apiserver keeps the certificate it started with.
  std::this_thread::sleep_for(500ms);
  const auto before = get();
  ASSERT_TRUE(before && before->served);
  EXPECT_TRUE(same_serial(*before->served, *old_cert));

  fs::rename(manifest(), aside());
  EXPECT_TRUE(eventually([&] { return refused(); })) << "still listening without its manifest";
  EXPECT_FALSE(get().has_value());
  fs::rename(aside(), manifest());
  EXPECT_TRUE(eventually([&] { return serves(pki() / "apiserver.crt"); })) << "the renewed serial is not served";
  // The other control plane was never restarted.
  const Node &cp2 = *sb_.find("cp2");
  const auto other = https_get(cp2.apiserver_port, cp2.root / "etc/kubernetes/pki/ca.crt", "/healthz");
  EXPECT_TRUE(other && other->served);
}

TEST_F(NodeApiserverTest, ChangedManifestRestartsIt) {
  ASSERT_NO_FATAL_FAILURE(write_renewed_apiserver_pair(pki()));
  // kubeadm writing a new manifest (an upgrade) restarts it too.
  write_text(manifest(), read_text(manifest()) + "# changed\n");
  EXPECT_TRUE(eventually([&] { return serves(pki() / "apiserver.crt"); }));
  EXPECT_TRUE(contains(server_log(), "kube-apiserver on cp1: stopped: kube-apiserver.yaml changed"))
      << server_log();
}

TEST_F(NodeApiserverTest, MissingKeyKeepsItDownAndTheLogSaysWhy) {
  fs::rename(manifest(), aside());
  ASSERT_TRUE(eventually([&] { return refused(); }));
  fs::rename(pki() / "apiserver.key", pki() / "apiserver.key.aside");
  fs::rename(aside(), manifest());
  EXPECT_TRUE(eventually([&] { return contains(server_log(), "apiserver.key: No such file or directory"); }))
      << server_log();
  EXPECT_TRUE(refused());
  // Like a crash-looping static Pod, it comes up once the key is back.
  fs::rename(pki() / "apiserver.key.aside", pki() / "apiserver.key");
  EXPECT_TRUE(eventually([&] { return serves(pki() / "apiserver.crt"); }));
}

TEST_F(NodeApiserverTest, StoppedKubeletFreezesIt) {
  ASSERT_EQ(run_on(cp1(), "systemctl", {"stop", "kubelet"}).exit_code, 0);
  fs::rename(manifest(), aside());
  // Containers outlive their kubelet: nothing stops it yet.
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(refused());
  ASSERT_EQ(run_on(cp1(), "systemctl", {"start", "kubelet"}).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return refused(); }));
}

TEST_F(NodeApiserverTest, SandboxDownClosesEveryNodePort) {
  ASSERT_FALSE(refused());
  std::string message, error;
  ASSERT_TRUE(apiserver_down(sb_.dir, &message, &error)) << error;
  // `down` returns when the server's main thread is gone; its listener
  // threads can take a few more milliseconds to release their ports.
  EXPECT_TRUE(eventually([&] { return refused(); }, 2s));
  EXPECT_TRUE(eventually([&] { return !detail::accepts_connections(sb_.find("cp2")->apiserver_port); }, 2s));
}

TEST_F(NodeApiserverTest, PortsAreInSandboxYaml) {
  const YAML::Node file = YAML::LoadFile((sb_.dir / "sandbox.yaml").string());
  std::set<int> ports{apiserver_status(sb_.dir).port};
  for (const auto &n : file["nodes"]) {
    const std::string name = n["name"].as<std::string>();
    EXPECT_EQ(n["apiserverPort"].as<int>(0), sb_.find(name)->apiserver_port) << name;
    if (name == "w1") {
      EXPECT_FALSE(n["apiserverPort"].IsDefined());
      continue;
    }
    for (const char *key : {"apiserverPort", "etcdClientPort", "etcdPeerPort"})
      EXPECT_TRUE(ports.insert(n[key].as<int>()).second) << name << " " << key << " reuses a port";
  }
}

}  // namespace
}  // namespace kuphost::sandbox::testing
