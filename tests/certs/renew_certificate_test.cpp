// Renewal of one leaf on a real kubeadm-shaped PKI (kubeadm_test_pki.h),
// checked with OpenSSL and with `openssl verify`.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "inventory/openssl_handles.h"
#include "kubeadm_test_pki.h"
#include "renewal/renew_certificate.h"
#include "test_support.h"
#include "x509_test_util.h"

namespace kuphost::test::certs {
namespace {

namespace kc = kuphost_plugins::certs;
constexpr int64_t kDay = 86400;


std::string public_key_der(X509 *cert) {
  unsigned char *der = nullptr;
  const int n = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  std::string out(reinterpret_cast<char *>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

class RenewCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ = static_cast<int64_t>(std::time(nullptr));
    TestPkiLayout layout;
    layout.leaf_not_after = now_ + 30 * kDay;
    layout.ca_not_after = now_ + 3650 * kDay;
    layout.not_after["etcd-ca"] = now_ + 100 * kDay;
    write_test_pki(tmp_.path(), layout);
  }
  std::string pki(const std::string &name) const { return read_file(tmp_ / ("etc/kubernetes/pki/" + name)); }

  TempDir tmp_;
  int64_t now_ = 0;
};

TEST_F(RenewCertificateTest, ANewKeyTheSameNamesSansAndUsagesAndAYearSignedByTheCa) {
  const auto renewed = kc::renew_certificate(pki("apiserver.crt"), pki("ca.crt"), pki("ca.key"), now_, 365 * kDay);
  const auto old_cert = parse_pem(pki("apiserver.crt"));
  const auto cert = parse_pem(renewed.cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(subject_text(cert.get()), subject_text(old_cert.get()));
  EXPECT_EQ(extension_bytes(cert.get(), NID_subject_alt_name), extension_bytes(old_cert.get(), NID_subject_alt_name));
  EXPECT_NE(extension_bytes(cert.get(), NID_subject_alt_name), "");
  EXPECT_EQ(extension_bytes(cert.get(), NID_ext_key_usage), extension_bytes(old_cert.get(), NID_ext_key_usage));
  EXPECT_NE(public_key_der(cert.get()), public_key_der(old_cert.get()));
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())), EVP_PKEY_get_bits(X509_get0_pubkey(old_cert.get())));
  EXPECT_EQ(renewed.not_after_unix, now_ + 365 * kDay);
  // The key belongs to the certificate.
  kc::BioHandle bio(BIO_new_mem_buf(renewed.key_pem.data(), static_cast<int>(renewed.key_pem.size())));
  kc::PkeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(key);
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
  // openssl verify against the CA.
  write_file(tmp_ / "renewed.crt", renewed.cert_pem);
  const auto verify = run_process({"openssl", "verify", "-CAfile", (tmp_ / "etc/kubernetes/pki/ca.crt").string(),
                                   (tmp_ / "renewed.crt").string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(": OK"), std::string::npos) << verify.out;
}

TEST_F(RenewCertificateTest, NeverValidPastTheCa) {
  const auto renewed =
      kc::renew_certificate(pki("etcd/server.crt"), pki("etcd/ca.crt"), pki("etcd/ca.key"), now_, 365 * kDay);
  EXPECT_EQ(renewed.not_after_unix, now_ + 100 * kDay);
}

TEST_F(RenewCertificateTest, ACaIsNeverRenewedAndTheWrongCaIsRefused) {
  EXPECT_THROW(kc::renew_certificate(pki("ca.crt"), pki("ca.crt"), pki("ca.key"), now_, 365 * kDay), kc::RenewalError);
  try {
    kc::renew_certificate(pki("etcd/server.crt"), pki("ca.crt"), pki("ca.key"), now_, 365 * kDay);
    FAIL() << "signed by the wrong CA";
  } catch (const kc::RenewalError &e) {
    EXPECT_NE(std::string(e.what()).find("not issued by this CA"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kuphost::test::certs
