// The generated PKI has kubeadm's shape (certs.md) and verifies with OpenSSL.
#include <openssl/x509v3.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "sandbox_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

using Strings = std::vector<std::string>;

struct Expected {
  const char *file, *ca, *cn;
  Strings o, eku;
};

class PkiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    Spec spec = test_spec(tmp_->path() / "sb", "cp1:first-control-plane,cp2:other-control-plane,w1:worker");
    spec.cert_validity_days = 100;
    sandbox_ = new Sandbox(make_sandbox(spec));
  }
  static void TearDownTestSuite() {
    delete sandbox_;
    delete tmp_;
  }
  static fs::path pki(const std::string &node) { return sandbox_->find(node)->root / "etc/kubernetes/pki"; }
  static std::string server() {
    std::string port = read_text(sandbox_->dir / "cluster/apiserver.port");
    while (!port.empty() && port.back() == '\n') port.pop_back();
    return "https://127.0.0.1:" + port;
  }

  static TempDir *tmp_;
  static Sandbox *sandbox_;
};
TempDir *PkiTest::tmp_ = nullptr;
Sandbox *PkiTest::sandbox_ = nullptr;

TEST_F(PkiTest, CertificateAuthoritiesAreKubeadms) {
  for (const auto &[file, cn] : std::vector<std::pair<std::string, std::string>>{
           {"ca.crt", "kubernetes"}, {"front-proxy-ca.crt", "front-proxy-ca"}, {"etcd/ca.crt", "etcd-ca"}}) {
    auto ca = load_cert_file(pki("cp1") / file);
    ASSERT_TRUE(ca) << file;
    EXPECT_EQ(common_name(*ca), cn);
    EXPECT_TRUE(is_ca(*ca)) << file;
    EXPECT_EQ(dns_sans(*ca), Strings{cn});
    EXPECT_TRUE(key_usage(*ca) & KU_KEY_CERT_SIGN);
    EXPECT_NEAR(days_valid(*ca), 3650, 1);
    EXPECT_TRUE(verifies(*ca, *ca)) << file;
    EXPECT_EQ(X509_check_private_key(ca.get(), load_key_file(pki("cp1") / (file.substr(0, file.size() - 4) + ".key")).get()), 1);
  }
}

TEST_F(PkiTest, LeavesHaveKubeadmsNamesUsagesAndVerify) {
  const std::vector<Expected> leaves{
      {"apiserver", "ca", "kube-apiserver", {}, {"serverAuth"}},
      {"apiserver-kubelet-client", "ca", "kube-apiserver-kubelet-client", {"system:masters"}, {"clientAuth"}},
      {"front-proxy-client", "front-proxy-ca", "front-proxy-client", {}, {"clientAuth"}},
      {"apiserver-etcd-client", "etcd/ca", "kube-apiserver-etcd-client", {"system:masters"}, {"clientAuth"}},
      {"etcd/healthcheck-client", "etcd/ca", "kube-etcd-healthcheck-client", {"system:masters"}, {"clientAuth"}},
      {"etcd/server", "etcd/ca", "cp2", {}, {"serverAuth", "clientAuth"}},
      {"etcd/peer", "etcd/ca", "cp2", {}, {"serverAuth", "clientAuth"}},
  };
  for (const auto &e : leaves) {
    SCOPED_TRACE(e.file);
    auto cert = load_cert_file(pki("cp2") / (std::string(e.file) + ".crt"));
    auto key = load_key_file(pki("cp2") / (std::string(e.file) + ".key"));
    auto ca = load_cert_file(pki("cp2") / (std::string(e.ca) + ".crt"));
    ASSERT_TRUE(cert && key && ca);
    std::string error;
    EXPECT_TRUE(verifies(*cert, *ca, &error)) << error;
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
    EXPECT_EQ(common_name(*cert), e.cn);
    EXPECT_EQ(organizations(*cert), e.o);
    EXPECT_EQ(ext_key_usages(*cert), e.eku);
    EXPECT_FALSE(is_ca(*cert));
    EXPECT_TRUE(key_usage(*cert) & KU_DIGITAL_SIGNATURE);
    EXPECT_TRUE(key_usage(*cert) & KU_KEY_ENCIPHERMENT);
    EXPECT_FALSE(key_usage(*cert) & KU_KEY_CERT_SIGN);
    EXPECT_NEAR(days_valid(*cert), 100, 0.1);
  }
}

TEST_F(PkiTest, SubjectAltNamesFollowKubeadm) {
  auto apiserver = load_cert_file(pki("cp2") / "apiserver.crt");
  EXPECT_EQ(dns_sans(*apiserver), (Strings{"cp2", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                                           "kubernetes.default.svc.cluster.local"}));
  const std::string address = sandbox_->find("cp2")->address;
  EXPECT_EQ(ip_sans(*apiserver), (Strings{"10.96.0.1", address}));
  for (const char *member : {"etcd/server.crt", "etcd/peer.crt"}) {
    auto cert = load_cert_file(pki("cp2") / member);
    EXPECT_EQ(dns_sans(*cert), (Strings{"cp2", "localhost"})) << member;
    EXPECT_EQ(ip_sans(*cert), (Strings{address, "127.0.0.1", "::1"})) << member;
  }
}

TEST_F(PkiTest, CasAreSharedLeavesArePerNode) {
  for (const char *file : {"ca.crt", "ca.key", "front-proxy-ca.crt", "etcd/ca.crt", "sa.key", "sa.pub"})
    EXPECT_EQ(read_text(pki("cp1") / file), read_text(pki("cp2") / file)) << file;
  EXPECT_EQ(read_text(pki("w1") / "ca.crt"), read_text(pki("cp1") / "ca.crt"));
  EXPECT_NE(read_text(pki("cp1") / "apiserver.crt"), read_text(pki("cp2") / "apiserver.crt"));
  EXPECT_EQ(common_name(*load_cert_file(pki("cp1") / "etcd/server.crt")), "cp1");
}

TEST_F(PkiTest, ServiceAccountKeyPairMatches) {
  auto key = load_key_file(pki("cp1") / "sa.key");
  ASSERT_TRUE(key);
  const std::string pub = read_text(pki("cp1") / "sa.pub");
  EXPECT_EQ(pub.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  BIO *bio = BIO_new_mem_buf(pub.data(), static_cast<int>(pub.size()));
  PkeyPtr public_key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  ASSERT_TRUE(public_key);
  EXPECT_EQ(EVP_PKEY_eq(key.get(), public_key.get()), 1);
}

TEST_F(PkiTest, KubeconfigsEmbedVerifiableClientCertificates) {
  const fs::path etc = sandbox_->find("cp1")->root / "etc/kubernetes";
  const std::vector<std::tuple<std::string, std::string, Strings>> confs{
      {"admin.conf", "kubernetes-admin", {"kubeadm:cluster-admins"}},
      {"super-admin.conf", "kubernetes-super-admin", {"system:masters"}},
      {"controller-manager.conf", "system:kube-controller-manager", {}},
      {"scheduler.conf", "system:kube-scheduler", {}},
  };
  auto ca = load_cert_file(pki("cp1") / "ca.crt");
  for (const auto &[file, cn, o] : confs) {
    SCOPED_TRACE(file);
    const YAML::Node conf = YAML::LoadFile((etc / file).string());
    EXPECT_EQ(conf["kind"].as<std::string>(), "Config");
    // The sandbox's API server (kuphost-apiserver), on the port create picked.
    EXPECT_EQ(conf["clusters"][0]["cluster"]["server"].as<std::string>(), server());
    EXPECT_EQ(base64_decode(conf["clusters"][0]["cluster"]["certificate-authority-data"].as<std::string>()),
              read_text(pki("cp1") / "ca.crt"));
    const YAML::Node user = conf["users"][0]["user"];
    auto cert = load_cert_pem(base64_decode(user["client-certificate-data"].as<std::string>()));
    auto key = load_key_pem(base64_decode(user["client-key-data"].as<std::string>()));
    ASSERT_TRUE(cert && key);
    std::string error;
    EXPECT_TRUE(verifies(*cert, *ca, &error)) << error;
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
    EXPECT_EQ(common_name(*cert), cn);
    EXPECT_EQ(organizations(*cert), o);
    EXPECT_EQ(ext_key_usages(*cert), Strings{"clientAuth"});
    EXPECT_EQ(conf["current-context"].as<std::string>(), cn + "@kubernetes");
  }
}

TEST_F(PkiTest, KubeletConfPointsAtTheRotatedClientCertificate) {
  for (const char *node : {"cp1", "w1"}) {
    SCOPED_TRACE(node);
    const fs::path root = sandbox_->find(node)->root;
    const YAML::Node conf = YAML::LoadFile((root / "etc/kubernetes/kubelet.conf").string());
    EXPECT_EQ(conf["users"][0]["user"]["client-certificate"].as<std::string>(),
              "/var/lib/kubelet/pki/kubelet-client-current.pem");
    // Every node reaches the one sandbox API server.
    EXPECT_EQ(conf["clusters"][0]["cluster"]["server"].as<std::string>(), server());
    const std::string pem = read_text(root / "var/lib/kubelet/pki/kubelet-client-current.pem");
    auto cert = load_cert_pem(pem);
    auto key = load_key_pem(pem);
    auto ca = load_cert_pem(base64_decode(conf["clusters"][0]["cluster"]["certificate-authority-data"].as<std::string>()));
    ASSERT_TRUE(cert && key && ca);
    EXPECT_TRUE(verifies(*cert, *ca));
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
    EXPECT_EQ(ext_key_usages(*cert), Strings{"clientAuth"});
  }
}

TEST(PkiExternalEtcdTest, ApiserverEtcdClientIsSignedByTheExternalCa) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb", "cp1:first-control-plane");
  spec.etcd = "external";
  const Sandbox sb = make_sandbox(spec);
  const fs::path pki = sb.find("cp1")->root / "etc/kubernetes/pki";
  auto etcd_ca = load_cert_file(pki / "etcd/ca.crt");
  auto client = load_cert_file(pki / "apiserver-etcd-client.crt");
  ASSERT_TRUE(etcd_ca && client);
  EXPECT_TRUE(verifies(*client, *etcd_ca));
  EXPECT_FALSE(verifies(*client, *load_cert_file(pki / "ca.crt")));
  EXPECT_FALSE(fs::exists(pki / "etcd/ca.key"));
  EXPECT_EQ(X509_check_private_key(client.get(), load_key_file(pki / "apiserver-etcd-client.key").get()), 1);
}

TEST(PkiKeyTypeTest, Rsa2048IsTheDefault) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb", "cp1:first-control-plane");
  spec.key_type = "rsa-2048";
  const Sandbox sb = make_sandbox(spec);
  const fs::path pki = sb.find("cp1")->root / "etc/kubernetes/pki";
  for (const char *key : {"ca.key", "apiserver.key", "sa.key"}) {
    auto k = load_key_file(pki / key);
    ASSERT_TRUE(k);
    EXPECT_TRUE(EVP_PKEY_is_a(k.get(), "RSA")) << key;
    EXPECT_EQ(EVP_PKEY_get_bits(k.get()), 2048) << key;
  }
  // kubeadm writes PKCS#1 keys.
  EXPECT_EQ(read_text(pki / "apiserver.key").rfind("-----BEGIN RSA PRIVATE KEY-----", 0), 0u);
}

}  // namespace
}  // namespace kuphost::sandbox::testing
