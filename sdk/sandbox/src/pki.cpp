#include "pki.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace kuphost::sandbox::detail {
namespace {

using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslFree<GENERAL_NAMES_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, OpenSslFree<EXTENDED_KEY_USAGE_free>>;

constexpr long kBackdateSeconds = 5 * 60;  // kubeadm's CertificateBackdate
constexpr long kSecondsPerDay = 24 * 60 * 60;

[[noreturn]] void fail(const std::string &what) {
  std::string detail;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    detail += detail.empty() ? ": " : "; ";
    detail += buf;
  }
  throw std::runtime_error(what + detail);
}

void check(int ok, const char *what) {
  if (ok != 1) fail(what);
}

std::string bio_text(BIO *bio) {
  char *data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

BioPtr memory_bio() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) fail("BIO_new");
  return bio;
}

BioPtr read_bio(std::string_view text) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) fail("BIO_new_mem_buf");
  return bio;
}

// Random positive 63-bit serial, as kubeadm draws it.
void set_random_serial(X509 *cert) {
  BnPtr bn(BN_new());
  if (!bn) fail("BN_new");
  check(BN_rand(bn.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
  check(BN_add_word(bn.get(), 1), "BN_add_word");
  if (!BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) fail("BN_to_ASN1_INTEGER");
}

void add_extension(X509 *cert, X509V3_CTX *ctx, int nid, const std::string &value) {
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext) fail("X509V3_EXT_conf_nid(" + std::string(OBJ_nid2sn(nid)) + ")");
  check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

std::string join_sans(const CertSpec &spec) {
  std::string out;
  for (const auto &d : spec.dns_names) out += (out.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto &ip : spec.ip_addresses) out += (out.empty() ? "" : ",") + std::string("IP:") + ip;
  return out;
}

// Builds and signs one certificate. `issuer` null = self-signed with `key`.
CertPtr build_cert(const CertSpec &spec, bool is_ca, EVP_PKEY *key, const KeyPair *issuer) {
  CertPtr cert(X509_new());
  if (!cert) fail("X509_new");
  X509 *x = cert.get();
  check(X509_set_version(x, X509_VERSION_3), "X509_set_version");
  set_random_serial(x);
  if (!X509_gmtime_adj(X509_getm_notBefore(x), -kBackdateSeconds)) fail("X509_gmtime_adj");
  if (!X509_gmtime_adj(X509_getm_notAfter(x), spec.validity_days * kSecondsPerDay)) fail("X509_gmtime_adj");

  // Go writes O before CN; keep the same RDN order.
  X509_NAME *name = X509_get_subject_name(x);
  for (const auto &o : spec.organizations)
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char *>(o.c_str()), -1, -1, 0),
          "X509_NAME_add_entry_by_txt(O)");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(spec.common_name.c_str()), -1, -1, 0),
        "X509_NAME_add_entry_by_txt(CN)");
  check(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert.get()) : name), "X509_set_issuer_name");
  check(X509_set_pubkey(x, key), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer->cert.get() : x, x, nullptr, nullptr, 0);
  add_extension(x, &ctx, NID_key_usage,
                is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                      : "critical,digitalSignature,keyEncipherment");
  std::string eku;
  if (spec.ext_usage & kServerAuth) eku = "serverAuth";
  if (spec.ext_usage & kClientAuth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
  if (!eku.empty()) add_extension(x, &ctx, NID_ext_key_usage, eku);
  add_extension(x, &ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  // Go adds a subject key id to CAs and an authority key id to what they sign.
  if (is_ca) add_extension(x, &ctx, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always");
  if (const auto sans = join_sans(spec); !sans.empty()) add_extension(x, &ctx, NID_subject_alt_name, sans);

  if (X509_sign(x, issuer ? issuer->key.get() : key, EVP_sha256()) <= 0) fail("X509_sign");
  return cert;
}

std::string name_entry(const X509_NAME *name, int nid, int *last) {
  *last = X509_NAME_get_index_by_NID(name, nid, *last);
  if (*last < 0) return {};
  const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, *last));
  unsigned char *utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) fail("ASN1_STRING_to_UTF8");
  std::string out(reinterpret_cast<char *>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

std::optional<KeyType> parse_key_type(std::string_view name) {
  if (name == "rsa-2048") return KeyType::kRsa2048;
  if (name == "ecdsa-p256") return KeyType::kEcdsaP256;
  return std::nullopt;
}

KeyType key_type_of(const EVP_PKEY &key) {
  return EVP_PKEY_is_a(&key, "EC") ? KeyType::kEcdsaP256 : KeyType::kRsa2048;
}

KeyPtr generate_key(KeyType type) {
  KeyPtr key(type == KeyType::kRsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) fail("EVP_PKEY_Q_keygen");
  return key;
}

KeyPair make_ca(const std::string &common_name, KeyPtr key, int validity_days) {
  CertSpec spec;
  spec.common_name = common_name;
  spec.dns_names = {common_name};  // client-go's NewSelfSignedCACert does this
  spec.validity_days = validity_days;
  KeyPair pair;
  pair.key = std::move(key);
  pair.cert = build_cert(spec, true, pair.key.get(), nullptr);
  return pair;
}

KeyPair issue(const CertSpec &spec, const KeyPair &ca, KeyPtr key) {
  KeyPair pair;
  pair.key = std::move(key);
  pair.cert = build_cert(spec, false, pair.key.get(), &ca);
  return pair;
}

CertSpec spec_of(const X509 &cert, int validity_days) {
  CertSpec spec;
  spec.validity_days = validity_days;
  const X509_NAME *subject = X509_get_subject_name(&cert);
  int last = -1;
  spec.common_name = name_entry(subject, NID_commonName, &last);
  last = -1;
  for (;;) {
    std::string o = name_entry(subject, NID_organizationName, &last);
    if (last < 0) break;
    spec.organizations.push_back(std::move(o));
  }
  NamesPtr names(static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING *s = gn->d.dNSName;
      spec.dns_names.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)),
                                  static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING *s = gn->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      const int family = ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, ASN1_STRING_get0_data(s), text, sizeof text)) spec.ip_addresses.emplace_back(text);
    }
  }
  EkuPtr eku(static_cast<EXTENDED_KEY_USAGE *>(X509_get_ext_d2i(&cert, NID_ext_key_usage, nullptr, nullptr)));
  for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    const int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), i));
    if (nid == NID_server_auth) spec.ext_usage |= kServerAuth;
    if (nid == NID_client_auth) spec.ext_usage |= kClientAuth;
  }
  return spec;
}

std::string cert_pem(const X509 &cert) {
  auto bio = memory_bio();
  check(PEM_write_bio_X509(bio.get(), &cert), "PEM_write_bio_X509");
  return bio_text(bio.get());
}

std::string key_pem(const EVP_PKEY &key) {
  auto bio = memory_bio();
  check(PEM_write_bio_PrivateKey_traditional(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey_traditional");
  return bio_text(bio.get());
}

std::string public_key_pem(const EVP_PKEY &key) {
  auto bio = memory_bio();
  check(PEM_write_bio_PUBKEY(bio.get(), &key), "PEM_write_bio_PUBKEY");
  return bio_text(bio.get());
}

CertPtr load_cert(std::string_view pem) {
  auto bio = read_bio(pem);
  CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("cannot parse PEM certificate");
  return cert;
}

KeyPtr load_key(std::string_view pem) {
  auto bio = read_bio(pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("cannot parse PEM private key");
  return key;
}

KeyPair load_pair(std::string_view cert_pem_text, std::string_view key_pem_text) {
  KeyPair pair{load_cert(cert_pem_text), load_key(key_pem_text)};
  if (X509_check_private_key(pair.cert.get(), pair.key.get()) != 1) fail("certificate and key do not match");
  return pair;
}

}  // namespace kuphost::sandbox::detail
