// check-expiration's text, JSON and YAML. The golden text's two tables are
// kubeadm's own published output (stacked etcd, certificates 360d from
// expiry), byte for byte with the trailing padding; the generated PKI is
// dated to reproduce it under an injected clock.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "inventory/cert_inventory.h"
#include "inventory/expiration_report.h"
#include "kubeadm_test_pki.h"
#include "test_support.h"

namespace kuphost::test::certs {
namespace {

namespace fs = std::filesystem;
using namespace kuphost_plugins::certs;

constexpr int64_t kLeafNotAfter = 1787130210;  // Aug 19, 2026 09:03:30 UTC
constexpr int64_t kCaNotAfter = 2070954210;    // Aug 17, 2035 09:03:30 UTC
constexpr int64_t kNow = kLeafNotAfter - 360 * 86400 - 3600;  // Aug 24, 2025 08:03:30 UTC

class ExpirationReportTest : public ::testing::Test {
 protected:
  ExpirationReportTest() {
    layout_.leaf_not_after = kLeafNotAfter;
    layout_.ca_not_after = kCaNotAfter;
  }
  ExpirationInventory read() {
    write_test_pki(tmp_.path(), layout_);
    return read_inventory(under_root(tmp_.path()), EtcdTopology::kStacked, kNow * 1000);
  }
  ExpirationInventory reread() { return read_inventory(under_root(tmp_.path()), EtcdTopology::kStacked, kNow * 1000); }
  static bool has_line(const std::vector<std::string> &lines, const std::string &line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }
  static std::string joined(const std::vector<std::string> &lines) {
    std::string s;
    for (const auto &l : lines) s += l + "\n";
    return s;
  }

  TempDir tmp_;
  TestPkiLayout layout_;
};

TEST_F(ExpirationReportTest, TextIsKubeadmsTwoTablesThenTheKubeletCertificate) {
  const std::vector<std::string> golden{
      "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED",
      "admin.conf                 Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "apiserver                  Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "apiserver-etcd-client      Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ",
      "apiserver-kubelet-client   Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "controller-manager.conf    Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "etcd-healthcheck-client    Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ",
      "etcd-peer                  Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ",
      "etcd-server                Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ",
      "front-proxy-client         Aug 19, 2026 09:03 UTC   360d            front-proxy-ca          no      ",
      "scheduler.conf             Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "super-admin.conf           Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
      "",
      "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED",
      "ca                      Aug 17, 2035 09:03 UTC   9y              no      ",
      "etcd-ca                 Aug 17, 2035 09:03 UTC   9y              no      ",
      "front-proxy-ca          Aug 17, 2035 09:03 UTC   9y              no      ",
      "",
      "KUBELET CLIENT CERTIFICATE                        EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY",
      "/var/lib/kubelet/pki/kubelet-client-current.pem   Aug 19, 2026 09:03 UTC   360d            ca",
  };
  EXPECT_EQ(joined(expiration_text(read())), joined(golden));
}

TEST_F(ExpirationReportTest, MissingAndUnreadableRowsKeepTheirPlaceWithEmptyColumns) {
  write_test_pki(tmp_.path(), layout_);
  fs::remove(tmp_.path() / "etc/kubernetes/pki/apiserver.crt");
  std::ofstream(tmp_.path() / "etc/kubernetes/pki/etcd/peer.crt", std::ios::trunc) << "garbage\n";
  const auto lines = expiration_text(reread());
  // Column widths as in the golden table: 27, 25, 16, 24; empty cells padded.
  const std::string empty_columns(25 + 16 + 24, ' ');
  EXPECT_TRUE(has_line(lines, "!MISSING! apiserver" + std::string(27 - 19, ' ') + empty_columns)) << joined(lines);
  EXPECT_TRUE(has_line(lines, "!UNREADABLE! etcd-peer" + std::string(27 - 22, ' ') + empty_columns))
      << joined(lines);
  bool error_line = false;
  for (const auto &l : lines) error_line |= l.rfind("ERROR: etcd-peer: /etc/kubernetes/pki/etcd/peer.crt: ", 0) == 0;
  EXPECT_TRUE(error_line) << joined(lines);
  EXPECT_NE(joined(lines).find("\netcd-server                Aug 19, 2026 09:03 UTC"), std::string::npos);
}

TEST_F(ExpirationReportTest, ExternalCaShowsYes) {
  write_test_pki(tmp_.path(), layout_);
  fs::remove(tmp_.path() / "etc/kubernetes/pki/ca.key");
  const auto lines = expiration_text(reread());
  EXPECT_TRUE(has_line(lines, "ca                      Aug 17, 2035 09:03 UTC   9y              yes     "))
      << joined(lines);
  EXPECT_TRUE(has_line(
      lines, "apiserver                  Aug 19, 2026 09:03 UTC   360d            ca                      yes     "));
  EXPECT_TRUE(has_line(
      lines, "etcd-peer                  Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      "));
}

TEST_F(ExpirationReportTest, KubeletWarningFollowsTheTables) {
  layout_.not_after["kubelet-client"] = kNow + 5 * 86400;
  const auto lines = expiration_text(read());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("WARNING: the kubelet client certificate /var/lib/kubelet/pki/kubelet-client-current.pem "
                               "expires in 5d",
                               0),
            0u)
      << lines.back();
}

void expect_certificate(const YAML::Node &c, const std::string &name, const std::string &ca, int64_t not_after) {
  SCOPED_TRACE(name);
  EXPECT_EQ(c["name"].as<std::string>(), name);
  EXPECT_EQ(c["caName"].as<std::string>(""), ca);
  EXPECT_EQ(c["residualTime"].as<int64_t>(), not_after - kNow);
  EXPECT_FALSE(c["externallyManaged"].as<bool>());
  EXPECT_FALSE(c["missing"].as<bool>());
}

void expect_document(const YAML::Node &doc) {
  EXPECT_EQ(doc["kind"].as<std::string>(), "CertificateExpirationInfo");
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "output.kubeadm.k8s.io/v1alpha3");
  ASSERT_EQ(doc["certificates"].size(), 11u);
  ASSERT_EQ(doc["certificateAuthorities"].size(), 3u);
  expect_certificate(doc["certificates"][0], "admin.conf", "ca", kLeafNotAfter);
  expect_certificate(doc["certificates"][6], "etcd-peer", "etcd-ca", kLeafNotAfter);
  EXPECT_EQ(doc["certificates"][6]["path"].as<std::string>(), "/etc/kubernetes/pki/etcd/peer.crt");
  EXPECT_EQ(doc["certificates"][1]["expirationDate"].as<std::string>(), "2026-08-19T09:03:30Z");
  expect_certificate(doc["certificateAuthorities"][2], "front-proxy-ca", "", kCaNotAfter);
  EXPECT_FALSE(doc["certificateAuthorities"][0]["caName"]);  // omitted for CAs, as kubeadm's omitempty
  // Missing: kubeadm's missing flag, no date.
  EXPECT_TRUE(doc["certificates"][10]["missing"].as<bool>());
  EXPECT_TRUE(doc["certificates"][10]["expirationDate"].IsNull());
  const auto kubelet = doc["kubeletClientCertificate"];
  EXPECT_EQ(kubelet["path"].as<std::string>(), "/var/lib/kubelet/pki/kubelet-client-current.pem");
  EXPECT_EQ(kubelet["residualTime"].as<int64_t>(), kLeafNotAfter - kNow);
  EXPECT_FALSE(kubelet["warning"]);
}

TEST_F(ExpirationReportTest, JsonParsesBackWithTheSameData) {
  write_test_pki(tmp_.path(), layout_);
  fs::remove(tmp_.path() / "etc/kubernetes/super-admin.conf");
  expect_document(YAML::Load(expiration_json(reread())));
}

TEST_F(ExpirationReportTest, YamlParsesBackWithTheSameData) {
  write_test_pki(tmp_.path(), layout_);
  fs::remove(tmp_.path() / "etc/kubernetes/super-admin.conf");
  expect_document(YAML::Load(expiration_yaml(reread())));
}

}  // namespace
}  // namespace kuphost::test::certs
