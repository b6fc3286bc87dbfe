// Selection, renewal, backup and restore of a whole kubeadm-shaped PKI
// (kubeadm_test_pki.h, made with OpenSSL) under a temporary node root,
// checked with `openssl verify` and byte comparisons.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <ctime>
#include <map>
#include <sstream>

#include "inventory/openssl_handles.h"
#include "kubeadm_test_pki.h"
#include "renewal/kubeconfig_credentials.h"
#include "renewal/pki_backup.h"
#include "renewal/pki_renewal.h"
#include "renewal/renew_certificate.h"
#include "renewal/renewal_selection.h"
#include "test_support.h"
#include "x509_test_util.h"

namespace kuphost::test::certs {
namespace {

namespace kc = kuphost_plugins::certs;
namespace fs = std::filesystem;
constexpr int64_t kDay = 86400;


// Every regular file under root with its mode and bytes.
std::map<std::string, std::pair<unsigned, std::string>> snapshot_tree(const fs::path &root) {
  std::map<std::string, std::pair<unsigned, std::string>> out;
  for (const auto &e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    out[fs::relative(e.path(), root).string()] = {st.st_mode & 07777, read_file(e.path())};
  }
  return out;
}

class PkiRenewalTest : public ::testing::Test {
 protected:
  void SetUp() override { now_ = static_cast<int64_t>(std::time(nullptr)); }

  void make_pki(TestPkiLayout layout) {
    if (!layout.leaf_not_after) layout.leaf_not_after = now_ + 300 * kDay;
    if (!layout.ca_not_after) layout.ca_not_after = now_ + 3650 * kDay;
    write_test_pki(tmp_.path(), layout);
  }
  kc::ExpirationInventory inventory(bool stacked = true) const {
    return kc::read_inventory(under_root(tmp_.path()), stacked ? kc::EtcdTopology::kStacked : kc::EtcdTopology::kExternal,
                              now_ * 1000);
  }
  kc::RenewalSelection select(kc::RenewalRequest request = {}) const {
    return kc::select_renewals(inventory(), request);
  }
  std::vector<std::string> names(const kc::RenewalSelection &s) const {
    std::vector<std::string> out;
    for (const auto &t : s.renew) out.push_back(t.name);
    return out;
  }
  std::string node(const std::string &node_path) const { return read_file(tmp_.path() / node_path.substr(1)); }
  int openssl_verify(const std::string &ca_node_path, const std::string &cert_pem) {
    write_file(tmp_ / "verify-me.crt", cert_pem);
    const auto r = run_process({"openssl", "verify", "-CAfile", (tmp_.path() / ca_node_path.substr(1)).string(),
                                (tmp_ / "verify-me.crt").string()});
    return r.exit_code;
  }

  TempDir tmp_;
  int64_t now_ = 0;
};

TEST_F(PkiRenewalTest, RenewsExactlyTheCertificatesUnderTheThreshold) {
  TestPkiLayout layout;
  layout.not_after = {{"apiserver", now_ + 30 * kDay},
                      {"etcd-peer", now_ + 179 * kDay},
                      {"scheduler.conf", now_ + 10 * kDay},
                      {"front-proxy-client", now_ + 181 * kDay}};
  make_pki(layout);
  const auto selection = select();
  EXPECT_TRUE(selection.errors.empty());
  EXPECT_EQ(names(selection), (std::vector<std::string>{"apiserver", "etcd-peer", "scheduler.conf"}));
  EXPECT_EQ(selection.kept.size(), 8u);  // the other leaves and kubeconfigs
  kc::RenewalRequest all;
  all.all = true;
  EXPECT_EQ(select(all).renew.size(), 11u);
  kc::RenewalRequest named;
  named.names = {"admin.conf"};
  EXPECT_EQ(names(select(named)), (std::vector<std::string>{"admin.conf"}));
}

TEST_F(PkiRenewalTest, ACaInsideTheThresholdIsAWarningAndNeverRenewed) {
  TestPkiLayout layout;
  layout.not_after = {{"front-proxy-ca", now_ + 90 * kDay}};
  make_pki(layout);
  kc::RenewalRequest request;
  request.all = true;
  const auto selection = select(request);
  ASSERT_EQ(selection.ca_warnings.size(), 1u);
  EXPECT_NE(selection.ca_warnings[0].find("front-proxy-ca"), std::string::npos);
  EXPECT_NE(selection.ca_warnings[0].find("never renews CAs"), std::string::npos);
  for (const auto &t : selection.renew) EXPECT_NE(t.name, "front-proxy-ca");
  kc::RenewalRequest ca;
  ca.names = {"ca"};
  ASSERT_EQ(select(ca).errors.size(), 1u);
  EXPECT_NE(select(ca).errors[0].find("never renews CAs"), std::string::npos);
}

TEST_F(PkiRenewalTest, RenewedCertificatesVerifyKeepNamesAndUsagesAndHaveNewKeys) {
  make_pki({});
  kc::RenewalRequest all;
  all.all = true;
  const auto selection = select(all);
  ASSERT_TRUE(selection.errors.empty());
  const auto before = snapshot_tree(tmp_.path());
  kc::RootedFiles files(tmp_.path());
  const auto prepared = kc::prepare_renewals(selection.renew, files, now_, 365 * kDay);
  EXPECT_EQ(snapshot_tree(tmp_.path()), before) << "prepare changes nothing";
  kc::write_renewals(prepared, files);

  for (const auto &p : prepared) {
    SCOPED_TRACE(p.target.name);
    const std::string old_file = before.at(p.target.cert_path.substr(1)).second;
    const std::string new_file = node(p.target.cert_path);
    std::string old_pem = old_file, new_pem = new_file, old_key = {}, new_key = {};
    if (p.target.kubeconfig) {
      const auto o = kc::embedded_credentials(old_file), n = kc::embedded_credentials(new_file);
      old_pem = o.cert_pem, new_pem = n.cert_pem, old_key = o.key_pem, new_key = n.key_pem;
      // Only the two credential lines differ.
      auto strip = [](std::string text) {
        std::string out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);)
          if (line.find("client-certificate-data:") == std::string::npos &&
              line.find("client-key-data:") == std::string::npos)
            out += line + "\n";
        return out;
      };
      EXPECT_EQ(strip(new_file), strip(old_file));
    } else {
      old_key = before.at(p.target.key_path.substr(1)).second;
      new_key = node(p.target.key_path);
      struct stat st {};
      ::stat((tmp_.path() / p.target.key_path.substr(1)).c_str(), &st);
      EXPECT_EQ(st.st_mode & 0777, 0600u);
    }
    EXPECT_NE(new_key, old_key);
    EXPECT_EQ(openssl_verify(p.target.ca_cert_path, new_pem), 0);
    const auto o = parse_pem(old_pem), n = parse_pem(new_pem);
    ASSERT_TRUE(o && n);
    EXPECT_EQ(subject_text(n.get()), subject_text(o.get()));
    EXPECT_EQ(extension_bytes(n.get(), NID_subject_alt_name), extension_bytes(o.get(), NID_subject_alt_name));
    EXPECT_EQ(extension_bytes(n.get(), NID_ext_key_usage), extension_bytes(o.get(), NID_ext_key_usage));
    kc::BioHandle bio(BIO_new_mem_buf(new_key.data(), static_cast<int>(new_key.size())));
    kc::PkeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(key);
    EXPECT_EQ(X509_check_private_key(n.get(), key.get()), 1);
    EXPECT_EQ(kc::certificate_serial_hex(new_pem), p.new_serial_hex);
  }
  // The report afterwards: about a year everywhere.
  for (const auto &row : inventory().certificates) EXPECT_GT(row.residual_seconds, 364 * kDay) << row.name;
}

TEST_F(PkiRenewalTest, AnExternalCaIsSkipped) {
  make_pki({});
  fs::remove(tmp_.path() / "etc/kubernetes/pki/ca.key");
  kc::RenewalRequest all;
  all.all = true;
  const auto selection = select(all);
  EXPECT_TRUE(selection.errors.empty());
  for (const auto &t : selection.renew) EXPECT_NE(t.ca_name, "ca") << t.name;
  EXPECT_EQ(names(selection), (std::vector<std::string>{"apiserver-etcd-client", "etcd-healthcheck-client", "etcd-peer",
                                                        "etcd-server", "front-proxy-client"}));
  bool said = false;
  for (const auto &s : selection.skipped) said |= s.find("External CA detected, apiserver certificate") == 0;
  EXPECT_TRUE(said);
}

TEST_F(PkiRenewalTest, ACorruptPemIsNamedAndNothingIsTouched) {
  make_pki({});
  const std::string good = read_file(tmp_.path() / "etc/kubernetes/pki/front-proxy-client.crt");
  write_file(tmp_.path() / "etc/kubernetes/pki/front-proxy-client.crt", "-----BEGIN CERTIFICATE-----\ngarbage\n");
  const auto before = snapshot_tree(tmp_.path());
  kc::RenewalRequest all;
  all.all = true;
  const auto selection = select(all);
  ASSERT_EQ(selection.errors.size(), 1u);
  EXPECT_EQ(selection.errors[0].rfind("/etc/kubernetes/pki/front-proxy-client.crt: ", 0), 0u) << selection.errors[0];
  // A CA key that is not a key: found while preparing, before any write.
  EXPECT_EQ(snapshot_tree(tmp_.path()), before);
  write_file(tmp_.path() / "etc/kubernetes/pki/front-proxy-client.crt", good);
  write_file(tmp_.path() / "etc/kubernetes/pki/front-proxy-ca.key", "not a key");
  const auto before_prepare = snapshot_tree(tmp_.path());
  kc::RootedFiles files(tmp_.path());
  try {
    kc::prepare_renewals(select(all).renew, files, now_, 365 * kDay);
    FAIL() << "a broken CA key was accepted";
  } catch (const kc::RenewalError &e) {
    EXPECT_NE(std::string(e.what()).find("front-proxy-ca"), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot_tree(tmp_.path()), before_prepare);
}

TEST_F(PkiRenewalTest, RollbackRestoresByteIdenticalFiles) {
  make_pki({});
  kc::RenewalRequest all;
  all.all = true;
  kc::RootedFiles files(tmp_.path());
  const auto prepared = kc::prepare_renewals(select(all).renew, files, now_, 365 * kDay);
  const auto paths = kc::files_replaced(prepared);
  const auto before = snapshot_tree(tmp_.path() / "etc/kubernetes");
  const std::string dir = std::string(kc::kPkiBackupParent) + "/" + kc::pki_backup_name(now_);
  const auto records = kc::write_pki_backup(files, dir, paths);
  EXPECT_EQ(kc::parse_backup_manifest(node(dir + "/MANIFEST")).size(), paths.size());
  kc::write_renewals(prepared, files);
  EXPECT_NE(snapshot_tree(tmp_.path() / "etc/kubernetes"), before) << "the renewal changed the files";
  const auto rewritten = kc::restore_pki_backup(files, records, kc::directory_backup_reader(files, dir));
  EXPECT_EQ(rewritten.size(), paths.size());
  auto after = snapshot_tree(tmp_.path() / "etc/kubernetes");
  for (auto it = after.begin(); it != after.end();)  // the backup itself lives under tmp/
    it = it->first.rfind("tmp/", 0) == 0 ? after.erase(it) : std::next(it);
  EXPECT_EQ(after, before);
  // A changed copy is refused before anything is written.
  kc::write_renewals(prepared, files);
  write_file(tmp_.path() / (dir.substr(1) + "/etc/kubernetes/admin.conf"), "tampered");
  const auto renewed = snapshot_tree(tmp_.path() / "etc/kubernetes/pki");
  EXPECT_THROW(kc::restore_pki_backup(files, records, kc::directory_backup_reader(files, dir)), std::runtime_error);
  EXPECT_EQ(snapshot_tree(tmp_.path() / "etc/kubernetes/pki"), renewed);
}

}  // namespace
}  // namespace kuphost::test::certs
