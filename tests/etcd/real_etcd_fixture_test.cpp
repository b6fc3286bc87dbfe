// The RealEtcd fixture itself: kubeadm's PKI names, modes and usages, a
// server that becomes healthy, and a clear failure when etcd is missing.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "real_etcd.h"
#include "tls_health_probe.h"

namespace kuphost::test::etcd {
namespace {

using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

CertPtr load(const std::filesystem::path &path) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!file) return {nullptr, &X509_free};
  return {PEM_read_X509(file.get(), nullptr, nullptr, nullptr), &X509_free};
}

std::string common_name(const X509 &cert) {
  char text[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(&cert), NID_commonName, text, sizeof text);
  return text;
}

unsigned mode_of(const std::filesystem::path &path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

TEST(RealEtcdFixture, PkiHasKubeadmNamesModesAndUsages) {
  TempDir tmp;
  const auto start = Clock::now();
  const EtcdPki pki = EtcdPki::create(tmp / "etc/kubernetes/pki", "cp-1");
  const long took = ms_since(start);
  RecordProperty("pki_generation_ms", std::to_string(took));
  std::printf("[timing] kubeadm etcd PKI (5 RSA-2048 keys): %ld ms\n", took);

  struct Expected {
    CertAndKey files;
    std::string cn;
    uint32_t eku;
  };
  const std::vector<Expected> leaves{
      {pki.server(), "cp-1", XKU_SSL_SERVER | XKU_SSL_CLIENT},
      {pki.peer(), "cp-1", XKU_SSL_SERVER | XKU_SSL_CLIENT},
      {pki.healthcheck_client(), "kube-etcd-healthcheck-client", XKU_SSL_CLIENT},
      {pki.apiserver_etcd_client(), "kube-apiserver-etcd-client", XKU_SSL_CLIENT}};
  EXPECT_EQ(pki.server().cert, tmp / "etc/kubernetes/pki/etcd/server.crt");
  EXPECT_EQ(pki.apiserver_etcd_client().key, tmp / "etc/kubernetes/pki/apiserver-etcd-client.key");
  const CertPtr ca = load(pki.ca().cert);
  ASSERT_TRUE(ca);
  EXPECT_EQ(common_name(*ca), "etcd-ca");
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(mode_of(pki.ca().key), 0600u);
  for (const auto &leaf : leaves) {
    SCOPED_TRACE(leaf.files.cert.string());
    const CertPtr cert = load(leaf.files.cert);
    ASSERT_TRUE(cert);
    EXPECT_EQ(common_name(*cert), leaf.cn);
    EXPECT_EQ(X509_get_extended_key_usage(cert.get()) & (XKU_SSL_SERVER | XKU_SSL_CLIENT), leaf.eku);
    EXPECT_EQ(X509_check_issued(ca.get(), cert.get()), X509_V_OK);
    EXPECT_EQ(mode_of(leaf.files.key), 0600u);
    EXPECT_EQ(mode_of(leaf.files.cert), 0644u);
  }
  const CertPtr server = load(pki.server().cert);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
}

TEST(RealEtcdFixture, StartsHealthyStoresKeysAndStops) {
  TempDir tmp;
  const EtcdPki pki = EtcdPki::create(tmp / "pki", "cp-1");
  std::filesystem::path log;
  uint16_t port = 0;
  {
    const auto start = Clock::now();
    RealEtcd etcd(tmp / "etcd", pki);
    std::printf("[timing] etcd start to healthy: %ld ms (constructor %ld ms)\n",
                static_cast<long>(etcd.time_to_healthy().count()), ms_since(start));
    RecordProperty("etcd_time_to_healthy_ms", std::to_string(etcd.time_to_healthy().count()));
    EXPECT_NE(etcd.client_url(), "https://127.0.0.1:2379");
    EXPECT_NE(etcd.peer_url(), "https://127.0.0.1:2380");
    etcd.put("/registry/fixture/a", "one");
    EXPECT_EQ(etcd.get("/registry/fixture/a"), "one");
    EXPECT_EQ(etcd.get("/registry/fixture/missing"), std::nullopt);
    etcd.put_many("/registry/fixture/many-", 1500);
    EXPECT_EQ(etcd.entries_with_prefix("/registry/fixture/many-").size(), 1500u);
    EXPECT_EQ(etcd.entries_with_prefix("/registry/fixture/many-").at("/registry/fixture/many-1499"), "value-1499");
    log = etcd.log_file();
    port = static_cast<uint16_t>(std::stoi(etcd.client_url().substr(etcd.client_url().rfind(':') + 1)));
    etcd.stop();
    EXPECT_FALSE(etcd_reports_healthy(port, pki.ca_cert(), pki.healthcheck_client()));
  }
  // zap logging went to the log file.
  EXPECT_NE(read_file(log).find("\"level\":\"info\""), std::string::npos);
}

TEST(RealEtcdFixture, MissingEtcdSaysToRunInstallDeps) {
  TempDir tmp;
  RealEtcdOptions options;
  options.etcd = tmp / "no-such-etcd";
  try {
    require_etcd_installed(options);
    FAIL() << "expected an error";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("scripts/install-deps.sh"), std::string::npos) << e.what();
  }
}

// The real suite never skips: without Debian's etcd this fails and says why.
TEST(RealEtcdFixture, EtcdIsInstalled) { EXPECT_NO_THROW(require_etcd_installed()); }

}  // namespace
}  // namespace kuphost::test::etcd
