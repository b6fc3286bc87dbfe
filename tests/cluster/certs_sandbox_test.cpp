// `kuphost certs check-expiration` end to end on the sandbox: the kuphost
// executable, the certs plugin's command through the ABI, the sandbox's
// kubeadm-shaped PKI on the node. Label cluster (select with -R CertsSandbox).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <sstream>

#include "cluster_test_support.h"

namespace kuphost::test {
namespace {

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class CertsSandboxTest : public ::testing::Test {
 protected:
  CertsSandboxTest() : cluster_("cp1:first-control-plane,w1:worker") {}
  ProcessResult kuphost(std::vector<std::string> args) const { return cluster_.kuphost("cp1", std::move(args)); }
  SandboxCluster cluster_;
};

TEST_F(CertsSandboxTest, CheckExpirationPrintsBothTablesWithEveryRow) {
  const auto r = kuphost({"certs", "check-expiration"});
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  const auto lines = lines_of(r.out);
  ASSERT_FALSE(lines.empty()) << all_output(r);
  EXPECT_EQ(lines.front().rfind("CERTIFICATE                EXPIRES                  RESIDUAL TIME   "
                                "CERTIFICATE AUTHORITY   EXTERNALLY MANAGED",
                                0),
            0u)
      << r.out;
  EXPECT_NE(r.out.find("\n\nCERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\n"),
            std::string::npos)
      << r.out;
  const std::pair<const char *, const char *> leaves[] = {
      {"admin.conf", "ca"},          {"apiserver", "ca"},          {"apiserver-etcd-client", "etcd-ca"},
      {"apiserver-kubelet-client", "ca"}, {"controller-manager.conf", "ca"}, {"etcd-healthcheck-client", "etcd-ca"},
      {"etcd-peer", "etcd-ca"},      {"etcd-server", "etcd-ca"},   {"front-proxy-client", "front-proxy-ca"},
      {"scheduler.conf", "ca"},      {"super-admin.conf", "ca"}};
  for (const auto &[name, ca] : leaves) {
    const auto cells = report_row(r.out, name);
    ASSERT_EQ(cells.size(), 5u) << name << "\n" << r.out;
    EXPECT_EQ(cells[2], "364d") << name;  // the sandbox's 365-day certificates, made moments ago
    EXPECT_EQ(cells[3], ca) << name;
    EXPECT_EQ(cells[4], "no") << name;
  }
  for (const char *ca : {"ca", "etcd-ca", "front-proxy-ca"}) {
    const auto cells = report_row(r.out, ca);
    ASSERT_EQ(cells.size(), 4u) << ca << "\n" << r.out;
    EXPECT_EQ(cells[2], "9y") << ca;
  }
  EXPECT_EQ(r.out.find("!MISSING!"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n/var/lib/kubelet/pki/kubelet-client-current.pem   "), std::string::npos) << r.out;
}

TEST_F(CertsSandboxTest, CheckExpirationJsonParses) {
  const auto r = kuphost({"certs", "check-expiration", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  const YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["kind"].as<std::string>(), "CertificateExpirationInfo");
  EXPECT_EQ(doc["certificates"].size(), 11u);
  EXPECT_EQ(doc["certificateAuthorities"].size(), 3u);
}

}  // namespace
}  // namespace kuphost::test
