// certs renewal end to end on the sandbox: a cluster whose certificates
// expire in 30 days, `kuphost apply` with the certs plugin, the report
// afterwards; `kuphost certs renew` alone; a failed control-plane stage
// rolling the renewal back byte for byte. The node's kube-apiserver (the
// sandbox serves each control plane's own apiserver.crt) is asked for its
// certificate with OpenSSL. Label cluster (select with -R CertsRenewalSandbox).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "cluster_test_support.h"
#include "renewal/pki_renewal.h"
#include "restart/served_certificate.h"

namespace kuphost::test {
namespace {

namespace fs = std::filesystem;
namespace kc = kuphost_plugins::certs;

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

// Every regular file under the node's /etc/kubernetes (tmp/ aside) with its mode.
std::map<std::string, std::pair<unsigned, std::string>> kubernetes_files(const fs::path &root) {
  std::map<std::string, std::pair<unsigned, std::string>> out;
  const fs::path top = root / "etc/kubernetes";
  for (const auto &e : fs::recursive_directory_iterator(top)) {
    const std::string rel = fs::relative(e.path(), top).string();
    if (!e.is_regular_file() || rel.rfind("tmp/", 0) == 0) continue;
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    out[rel] = {st.st_mode & 07777, read_file(e.path())};
  }
  return out;
}

// The residual-time column of check-expiration's row `name`.
std::string residual(const std::string &report, const std::string &name) {
  const auto cells = report_row(report, name);
  return cells.size() > 2 ? cells[2] : "";
}

class CertsRenewalSandboxTest : public ::testing::Test {
 protected:
  static SandboxClusterOptions options() {
    SandboxClusterOptions o;
    o.nodes = "cp1:first-control-plane,w1:worker";
    o.cert_validity_days = 30;
    return o;
  }
  CertsRenewalSandboxTest() : cluster_(options()) {
    // The sandbox's kubelet notices a moved manifest within 200 ms; the
    // default grace is the real kubelet's 20 s.
    cluster_.configure("cp1", "certs:\n  restart-grace: 1s\n  restart-timeout: 60s\n");
  }
  ProcessResult kuphost(std::vector<std::string> args) const { return cluster_.kuphost("cp1", std::move(args)); }
  // The control-plane stage after certs/renew fails, so the run rolls back.
  void fail_kubeadm_upgrade_apply() const {
    write_file(cluster_.root("cp1") / "var/lib/kuphost-sandbox/faults.yaml",
               "- match: \"kubeadm upgrade apply\"\n  exit: 1\n  stderr: \"[upgrade/apply] FATAL: simulated\"\n");
  }
  fs::path pki(const std::string &name) const { return cluster_.root("cp1") / "etc/kubernetes/pki" / name; }
  std::string served_serial() const {
    const YAML::Node sandbox = YAML::LoadFile((cluster_.dir() / "sandbox.yaml").string());
    for (const auto &n : sandbox["nodes"])
      if (n["name"].as<std::string>() == "cp1") {
        std::string why;
        const auto serial =
            kc::served_serial_hex("127.0.0.1:" + std::to_string(n["apiserverPort"].as<int>()), 2000, &why);
        return serial.value_or("none: " + why);
      }
    return "no cp1";
  }
  SandboxCluster cluster_;
};

TEST_F(CertsRenewalSandboxTest, ApplyRenewsCertificatesThatExpireIn30DaysAndTheReportShowsAYear) {
  const auto before = kuphost({"certs", "check-expiration"});
  ASSERT_EQ(before.exit_code, 0) << all_output(before);
  EXPECT_EQ(residual(before.out, "apiserver"), "29d") << before.out;
  const std::string old_serial = kc::certificate_serial_hex(read_file(pki("apiserver.crt")));
  EXPECT_EQ(served_serial(), old_serial);

  const auto applied = kuphost({"--plugins", "apt,etcd-backup,certs", "apply", "-y", "v1.31.2"});
  ASSERT_EQ(applied.exit_code, 0) << all_output(applied);
  const std::string log = all_output(applied);
  EXPECT_NE(log.find("renewed 11 certificates"), std::string::npos) << log;
  EXPECT_NE(log.find("the old files are in this run's backup set /var/lib/kuphost/etcd-backups/kuphost-backup-"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("kube-apiserver serves the renewed certificate"), std::string::npos) << log;
  // kubeadm was told to leave renewal to certs, and did: the certificate on
  // disk after the whole upgrade is the one certs wrote.
  const std::string commands = read_file(cluster_.root("cp1") / "var/log/kuphost-sandbox/commands.log");
  const auto upgrade = commands.find("kubeadm upgrade apply");
  ASSERT_NE(upgrade, std::string::npos) << commands;
  EXPECT_NE(commands.substr(upgrade, commands.find('\n', upgrade) - upgrade).find("--certificate-renewal=false"),
            std::string::npos)
      << commands;
  const std::string new_serial = kc::certificate_serial_hex(read_file(pki("apiserver.crt")));
  EXPECT_NE(log.find("renewed apiserver: serial " + new_serial + ","), std::string::npos) << log;
  EXPECT_NE(new_serial, old_serial);
  EXPECT_EQ(served_serial(), new_serial);
  const auto after = kuphost({"certs", "check-expiration"});
  ASSERT_EQ(after.exit_code, 0) << all_output(after);
  for (const char *name : {"admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client",
                           "controller-manager.conf", "etcd-healthcheck-client", "etcd-peer", "etcd-server",
                           "front-proxy-client", "scheduler.conf", "super-admin.conf"})
    EXPECT_EQ(residual(after.out, name), "364d") << name << "\n" << after.out;
  // The renewed admin.conf still authenticates: the real kubectl with it
  // (the last --kubeconfig wins) against the sandbox's API server.
  const auto kubectl = cluster_.kubectl(
      {"--kubeconfig", (cluster_.root("cp1") / "etc/kubernetes/admin.conf").string(), "get", "nodes", "-o", "name"});
  EXPECT_EQ(kubectl.exit_code, 0) << kubectl.out << kubectl.err;
  EXPECT_NE(kubectl.out.find("node/cp1"), std::string::npos) << kubectl.out;
}

TEST_F(CertsRenewalSandboxTest, RenewAloneBacksUpRestartsAndServesTheNewCertificate) {
  const auto dry = kuphost({"certs", "renew", "apiserver", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << all_output(dry);
  EXPECT_NE(dry.out.find("renew apiserver (/etc/kubernetes/pki/apiserver.crt)"), std::string::npos) << dry.out;
  const auto untouched = kubernetes_files(cluster_.root("cp1"));

  const auto renewed = kuphost({"certs", "renew", "apiserver"});
  ASSERT_EQ(renewed.exit_code, 0) << all_output(renewed);
  EXPECT_NE(renewed.out.find("backed the old files up to /etc/kubernetes/tmp/kuphost-backup-pki-"), std::string::npos)
      << renewed.out;
  const auto now = kubernetes_files(cluster_.root("cp1"));
  for (const auto &[path, content] : untouched) {
    if (path == "pki/apiserver.crt" || path == "pki/apiserver.key") continue;
    EXPECT_EQ(now.at(path), content) << path;
  }
  EXPECT_NE(now.at("pki/apiserver.key"), untouched.at("pki/apiserver.key"));
  EXPECT_EQ(now.at("pki/apiserver.key").first, 0600u);
  EXPECT_EQ(served_serial(), kc::certificate_serial_hex(read_file(pki("apiserver.crt"))));
  // The backup holds the old pair byte for byte, with a manifest.
  fs::path backup;
  for (const auto &e : fs::directory_iterator(cluster_.root("cp1") / "etc/kubernetes/tmp"))
    if (e.path().filename().string().rfind("kuphost-backup-pki-", 0) == 0) backup = e.path();
  ASSERT_FALSE(backup.empty());
  EXPECT_EQ(read_file(backup / "etc/kubernetes/pki/apiserver.key"), untouched.at("pki/apiserver.key").second);
  EXPECT_NE(read_file(backup / "MANIFEST").find("/etc/kubernetes/pki/apiserver.crt"), std::string::npos);

  const auto ca = kuphost({"certs", "renew", "ca"});
  EXPECT_EQ(ca.exit_code, 2) << all_output(ca);
  EXPECT_NE(ca.err.find("never renews CAs"), std::string::npos) << ca.err;
}

TEST_F(CertsRenewalSandboxTest, AFailedControlPlaneUpgradeRollsTheRenewalBackByteForByte) {
  const auto before = kubernetes_files(cluster_.root("cp1"));
  const std::string old_serial = kc::certificate_serial_hex(read_file(pki("apiserver.crt")));
  fail_kubeadm_upgrade_apply();
  const auto failed = kuphost({"--plugins", "apt,certs", "apply", "-y", "v1.31.2"});
  EXPECT_NE(failed.exit_code, 0) << all_output(failed);
  const std::string log = all_output(failed);
  EXPECT_NE(log.find("renewed 11 certificates"), std::string::npos) << log;
  EXPECT_NE(log.find("restored "), std::string::npos) << log;
  auto after = kubernetes_files(cluster_.root("cp1"));
  EXPECT_EQ(after, before);
  EXPECT_EQ(served_serial(), old_serial);
}

// The operator's "no renewal during the upgrade" holds for both owners:
// certs/renew renews nothing and kubeadm is told the same.
TEST_F(CertsRenewalSandboxTest, CertificateRenewalFalseIsHonoured) {
  cluster_.configure("cp1", "kubeadm:\n  certificate-renewal: false\ncerts:\n  restart-grace: 1s\n");
  const auto before = kubernetes_files(cluster_.root("cp1"));
  const auto applied = kuphost({"--plugins", "apt,certs", "apply", "-y", "v1.31.2"});
  ASSERT_EQ(applied.exit_code, 0) << all_output(applied);
  EXPECT_NE(all_output(applied).find("kubeadm.certificate-renewal is false: no certificate is renewed"),
            std::string::npos)
      << all_output(applied);
  EXPECT_NE(all_output(applied).find("certs/renew: renewal switched off"), std::string::npos);
  const auto after = kubernetes_files(cluster_.root("cp1"));
  for (const auto &[path, content] : before) {
    if (path.rfind("pki/", 0) != 0 && path.find(".conf") == std::string::npos) continue;
    if (path == "kubelet.conf") continue;
    EXPECT_EQ(after.at(path), content) << path;
  }
  const auto report = kuphost({"certs", "check-expiration"});
  EXPECT_EQ(residual(report.out, "apiserver"), "29d") << report.out;
}

// With etcd-backup in the run the old files are in its set, and the
// rollback reads them back from there (kuphost.backup-set/1).
TEST_F(CertsRenewalSandboxTest, TheRollbackReadsTheOldFilesFromEtcdBackupsSet) {
  const auto before = kubernetes_files(cluster_.root("cp1"));
  fail_kubeadm_upgrade_apply();
  const auto failed = kuphost({"--plugins", "apt,etcd-backup,certs", "apply", "-y", "v1.31.2"});
  EXPECT_NE(failed.exit_code, 0) << all_output(failed);
  const std::string log = all_output(failed);
  EXPECT_NE(log.find("the old files are in this run's backup set"), std::string::npos) << log;
  EXPECT_NE(log.find("from /var/lib/kuphost/etcd-backups/kuphost-backup-"), std::string::npos) << log;
  for (const auto &e : fs::directory_iterator(cluster_.root("cp1") / "etc/kubernetes/tmp"))
    EXPECT_NE(e.path().filename().string().rfind("kuphost-backup-pki-", 0), 0u) << e.path();
  EXPECT_EQ(kubernetes_files(cluster_.root("cp1")), before);
}

}  // namespace
}  // namespace kuphost::test
