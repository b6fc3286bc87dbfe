#include "renew_certificate.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "inventory/openssl_handles.h"

namespace kuphost_plugins::certs {
namespace {

using ExtensionHandle = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using NameHandle = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using CtxHandle = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using AsnTimeHandle = std::unique_ptr<ASN1_TIME, OpenSslDeleter<ASN1_TIME_free>>;

X509Handle read_cert(std::string_view pem, const char *what) {
  BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Handle cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) throw RenewalError(std::string(what) + " is not a PEM certificate");
  return cert;
}

PkeyHandle read_key(std::string_view pem) {
  BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyHandle key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw RenewalError("the CA key is not a PEM private key");
  return key;
}

// A fresh key like `old`: RSA of the same size, EC on the same curve, Ed25519.
PkeyHandle new_key_like(EVP_PKEY *old) {
  const int type = EVP_PKEY_get_base_id(old);
  EVP_PKEY *made = nullptr;
  if (type == EVP_PKEY_RSA) {
    made = EVP_RSA_gen(static_cast<unsigned>(EVP_PKEY_get_bits(old)));
  } else if (type == EVP_PKEY_EC) {
    char curve[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(old, "group", curve, sizeof curve, &len) != 1)
      throw RenewalError("cannot read the EC curve of the old key");
    made = EVP_EC_gen(curve);
  } else if (type == EVP_PKEY_ED25519) {
    CtxHandle ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    if (ctx && EVP_PKEY_keygen_init(ctx.get()) == 1) EVP_PKEY_keygen(ctx.get(), &made);
  } else {
    throw RenewalError("unsupported key type " + std::to_string(type) + " (kubeadm makes RSA, ECDSA)");
  }
  if (!made) throw RenewalError("cannot generate a new private key");
  return PkeyHandle(made);
}

// Copies the extension `nid` from `from` to `to` when present.
void copy_extension(X509 *from, X509 *to, int nid) {
  const int at = X509_get_ext_by_NID(from, nid, -1);
  if (at < 0) return;
  if (X509_add_ext(to, X509_get_ext(from, at), -1) != 1) throw RenewalError("cannot copy an extension");
}

void add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionHandle ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw RenewalError("cannot add an extension");
}

// CN and O only, as kubeadm's certToConfig keeps.
NameHandle kept_subject(X509 *old) {
  NameHandle name(X509_NAME_new());
  X509_NAME *from = X509_get_subject_name(old);
  for (const int nid : {NID_organizationName, NID_commonName})
    for (int i = X509_NAME_get_index_by_NID(from, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(from, nid, i))
      if (X509_NAME_add_entry(name.get(), X509_NAME_get_entry(from, i), -1, 0) != 1)
        throw RenewalError("cannot copy the subject");
  return name;
}

int64_t unix_time_of(const ASN1_TIME *t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) throw RenewalError("unreadable certificate time");
  return static_cast<int64_t>(timegm(&tm));
}

std::string pem_of(X509 *cert) {
  BioHandle bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char *data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// As kubeadm's keyutil.MarshalPrivateKeyToPEM: "RSA PRIVATE KEY" (PKCS#1) and
// "EC PRIVATE KEY" (SEC1); PKCS#8 for anything else.
std::string pem_of(EVP_PKEY *key) {
  BioHandle bio(BIO_new(BIO_s_mem()));
  const int type = EVP_PKEY_get_base_id(key);
  if (type == EVP_PKEY_RSA || type == EVP_PKEY_EC)
    PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  else
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char *data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

constexpr int64_t kBackdateSeconds = 5 * 60;

}  // namespace

RenewedCertificate renew_certificate(std::string_view old_cert_pem, std::string_view ca_cert_pem,
                                     std::string_view ca_key_pem, int64_t now_unix, int64_t validity_seconds) {
  const X509Handle old = read_cert(old_cert_pem, "the certificate");
  const X509Handle ca = read_cert(ca_cert_pem, "the CA certificate");
  const PkeyHandle ca_key = read_key(ca_key_pem);
  if (X509_check_ca(old.get()) > 0 && X509_check_issued(old.get(), old.get()) == X509_V_OK)
    throw RenewalError("the certificate is a CA; kubeadm never renews CAs");
  if (X509_check_issued(ca.get(), old.get()) != X509_V_OK)
    throw RenewalError("the certificate was not issued by this CA");
  if (X509_check_private_key(ca.get(), ca_key.get()) != 1) throw RenewalError("the CA key does not match the CA");
  PkeyHandle old_key(X509_get_pubkey(old.get()));
  if (!old_key) throw RenewalError("the certificate's public key is unreadable");
  PkeyHandle key = new_key_like(old_key.get());

  X509Handle cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  // a positive serial
  std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  const NameHandle subject = kept_subject(old.get());
  X509_set_subject_name(cert.get(), subject.get());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  const int64_t ca_not_after = unix_time_of(X509_get0_notAfter(ca.get()));
  const int64_t not_after = std::min(now_unix + validity_seconds, ca_not_after);
  if (not_after <= now_unix) throw RenewalError("the CA has expired; renew the CA first");
  // Backdated like kubeadm's CertificateBackdate, so a control plane whose
  // clock runs a little behind accepts the certificate at once.
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(now_unix - kBackdateSeconds));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(not_after));
  X509_set_pubkey(cert.get(), key.get());
  const bool rsa = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_RSA;
  add_extension(cert.get(), ca.get(), NID_key_usage,
                rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
  copy_extension(old.get(), cert.get(), NID_ext_key_usage);
  add_extension(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  copy_extension(old.get(), cert.get(), NID_subject_alt_name);
  const EVP_MD *digest = EVP_PKEY_get_base_id(ca_key.get()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), ca_key.get(), digest) <= 0) throw RenewalError("signing failed");
  return RenewedCertificate{pem_of(cert.get()), pem_of(key.get()), not_after};
}

}  // namespace kuphost_plugins::certs
