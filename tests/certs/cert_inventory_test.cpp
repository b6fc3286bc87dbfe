// The inventory on a generated kubeadm PKI: rows, CA names, residual times,
// missing / external / corrupt files, external etcd, the kubelet warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "inventory/cert_inventory.h"
#include "kubeadm_test_pki.h"
#include "test_support.h"

namespace kuphost::test::certs {
namespace {

namespace fs = std::filesystem;
using namespace kuphost_plugins::certs;

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1768471200;              // Jan 15, 2026 10:00:00 UTC
constexpr int64_t kNowMs = kNow * 1000 + 500;      // half a second in: residuals truncate

class CertInventoryTest : public ::testing::Test {
 protected:
  CertInventoryTest() {
    layout_.leaf_not_after = kNow + 365 * kDay;
    layout_.ca_not_after = kNow + 3650 * kDay;
  }
  fs::path root() const { return tmp_.path(); }
  ExpirationInventory read(EtcdTopology etcd = EtcdTopology::kStacked) {
    write_test_pki(root(), layout_);
    return read_inventory(under_root(root()), etcd, kNowMs);
  }

  static const CertStatus &row(const std::vector<CertStatus> &rows, const std::string &name) {
    for (const auto &r : rows)
      if (r.name == name) return r;
    throw std::runtime_error("no row " + name);
  }
  static std::vector<std::string> names(const std::vector<CertStatus> &rows) {
    std::vector<std::string> out;
    for (const auto &r : rows) out.push_back(r.name);
    return out;
  }

  TempDir tmp_;
  TestPkiLayout layout_;
};

TEST_F(CertInventoryTest, ListsKubeadmsCertificatesSortedWithTheirCas) {
  const auto inv = read();
  EXPECT_EQ(names(inv.certificates),
            (std::vector<std::string>{"admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client",
                                      "controller-manager.conf", "etcd-healthcheck-client", "etcd-peer",
                                      "etcd-server", "front-proxy-client", "scheduler.conf", "super-admin.conf"}));
  EXPECT_EQ(names(inv.authorities), (std::vector<std::string>{"ca", "etcd-ca", "front-proxy-ca"}));
  const std::map<std::string, std::string> ca_of{
      {"admin.conf", "ca"},          {"apiserver", "ca"},          {"apiserver-etcd-client", "etcd-ca"},
      {"apiserver-kubelet-client", "ca"}, {"controller-manager.conf", "ca"}, {"etcd-healthcheck-client", "etcd-ca"},
      {"etcd-peer", "etcd-ca"},      {"etcd-server", "etcd-ca"},   {"front-proxy-client", "front-proxy-ca"},
      {"scheduler.conf", "ca"},      {"super-admin.conf", "ca"}};
  for (const auto &c : inv.certificates) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(c.readable()) << c.error;
    EXPECT_EQ(c.ca_name, ca_of.at(c.name));
    EXPECT_FALSE(c.externally_managed);
    EXPECT_EQ(c.not_after_unix, kNow + 365 * kDay);
    EXPECT_EQ(c.residual_seconds, 365 * kDay - 1);  // 0.5 s short, truncated: kubeadm's familiar "364d"
  }
  for (const auto &c : inv.authorities) {
    EXPECT_TRUE(c.readable()) << c.name << ": " << c.error;
    EXPECT_TRUE(c.ca_name.empty());
    EXPECT_EQ(c.not_after_unix, kNow + 3650 * kDay);
  }
  EXPECT_EQ(row(inv.certificates, "admin.conf").node_path, "/etc/kubernetes/admin.conf");
  EXPECT_EQ(row(inv.certificates, "etcd-peer").node_path, "/etc/kubernetes/pki/etcd/peer.crt");
  EXPECT_EQ(row(inv.authorities, "etcd-ca").node_path, "/etc/kubernetes/pki/etcd/ca.crt");
}

TEST_F(CertInventoryTest, PerCertificateExpiryGivesItsOwnResidualTime) {
  layout_.not_after["apiserver"] = kNow + 30 * kDay;            // 30 d - 0.5 s left: 29d
  layout_.not_after["scheduler.conf"] = kNow + 30 * kDay + 1;   // 30 d + 0.5 s left: 30d
  layout_.not_after["front-proxy-ca"] = kNow - 3600;            // expired an hour ago
  const auto inv = read();
  EXPECT_EQ(row(inv.certificates, "apiserver").residual_seconds, 30 * kDay - 1);
  EXPECT_EQ(row(inv.certificates, "scheduler.conf").residual_seconds, 30 * kDay);
  EXPECT_EQ(row(inv.authorities, "front-proxy-ca").residual_seconds, -3600);
  EXPECT_EQ(row(inv.certificates, "admin.conf").residual_seconds, 365 * kDay - 1);
}

TEST_F(CertInventoryTest, MissingFilesAreRowsNotErrors) {
  write_test_pki(root(), layout_);
  fs::remove(root() / "etc/kubernetes/pki/apiserver.crt");
  fs::remove(root() / "etc/kubernetes/super-admin.conf");  // only the init node has it
  fs::remove(root() / "etc/kubernetes/pki/front-proxy-ca.crt");
  const auto inv = read_inventory(under_root(root()), EtcdTopology::kStacked, kNowMs);
  EXPECT_TRUE(row(inv.certificates, "apiserver").missing);
  EXPECT_TRUE(row(inv.certificates, "super-admin.conf").missing);
  EXPECT_TRUE(row(inv.authorities, "front-proxy-ca").missing);
  EXPECT_FALSE(row(inv.authorities, "front-proxy-ca").externally_managed);  // a missing CA is not an external one
  EXPECT_TRUE(row(inv.certificates, "admin.conf").readable());
  EXPECT_EQ(inv.certificates.size(), 11u);
}

TEST_F(CertInventoryTest, CaWithoutItsKeyIsExternallyManagedWithItsLeaves) {
  write_test_pki(root(), layout_);
  fs::remove(root() / "etc/kubernetes/pki/ca.key");
  const auto inv = read_inventory(under_root(root()), EtcdTopology::kStacked, kNowMs);
  EXPECT_TRUE(row(inv.authorities, "ca").externally_managed);
  EXPECT_FALSE(row(inv.authorities, "etcd-ca").externally_managed);
  EXPECT_FALSE(row(inv.authorities, "front-proxy-ca").externally_managed);
  for (const auto &c : inv.certificates) EXPECT_EQ(c.externally_managed, c.ca_name == "ca") << c.name;
}

TEST_F(CertInventoryTest, CorruptPemIsReportedByFileAndTheRestStays) {
  write_test_pki(root(), layout_);
  std::ofstream(root() / "etc/kubernetes/pki/front-proxy-client.crt", std::ios::trunc)
      << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  std::ofstream(root() / "etc/kubernetes/controller-manager.conf", std::ios::trunc)
      << "apiVersion: v1\nkind: Config\nusers:\n- name: x\n  user:\n    client-certificate-data: '%%%'\n";
  const auto inv = read_inventory(under_root(root()), EtcdTopology::kStacked, kNowMs);
  const auto &bad = row(inv.certificates, "front-proxy-client");
  EXPECT_FALSE(bad.missing);
  EXPECT_FALSE(bad.error.empty());
  EXPECT_EQ(bad.node_path, "/etc/kubernetes/pki/front-proxy-client.crt");
  EXPECT_NE(row(inv.certificates, "controller-manager.conf").error.find("base64"), std::string::npos);
  int readable = 0;
  for (const auto &c : inv.certificates) readable += c.readable();
  EXPECT_EQ(readable, 9);
}

TEST_F(CertInventoryTest, ExternalEtcdLeavesTheEtcdRowsOut) {
  layout_.stacked_etcd = false;
  const auto inv = read(EtcdTopology::kExternal);
  EXPECT_EQ(names(inv.certificates),
            (std::vector<std::string>{"admin.conf", "apiserver", "apiserver-kubelet-client", "controller-manager.conf",
                                      "front-proxy-client", "scheduler.conf", "super-admin.conf"}));
  EXPECT_EQ(names(inv.authorities), (std::vector<std::string>{"ca", "front-proxy-ca"}));
}

TEST_F(CertInventoryTest, KubeletClientCertificateIsReportedSeparately) {
  layout_.not_after["kubelet-client"] = kNow + 200 * kDay;
  const auto inv = read();
  const auto &k = inv.kubelet_client;
  EXPECT_EQ(k.cert.node_path, "/var/lib/kubelet/pki/kubelet-client-current.pem");
  EXPECT_TRUE(k.cert.readable()) << k.cert.error;  // through the kubelet's relative symlink
  EXPECT_EQ(k.cert.not_after_unix, kNow + 200 * kDay);
  EXPECT_TRUE(k.warning.empty()) << k.warning;
  for (const auto &c : inv.certificates) EXPECT_NE(c.name, "kubelet-client");
}

TEST_F(CertInventoryTest, KubeletClientCertificateWithin30DaysWarns) {
  layout_.not_after["kubelet-client"] = kNow + 10 * kDay;
  const auto inv = read();
  EXPECT_NE(inv.kubelet_client.warning.find("expires in 9d"), std::string::npos) << inv.kubelet_client.warning;
  EXPECT_NE(inv.kubelet_client.warning.find("kubeadm does not renew kubelet.conf"), std::string::npos);
}

TEST_F(CertInventoryTest, ExpiredKubeletClientCertificateWarns) {
  layout_.not_after["kubelet-client"] = kNow - kDay;
  const auto inv = read();
  EXPECT_NE(inv.kubelet_client.warning.find("has expired"), std::string::npos) << inv.kubelet_client.warning;
}

}  // namespace
}  // namespace kuphost::test::certs
