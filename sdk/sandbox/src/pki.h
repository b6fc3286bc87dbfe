// Keys and X.509 certificates in kubeadm's shape, made with OpenSSL 3.
// Throws std::runtime_error carrying OpenSSL's error text.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::detail {

template <auto FreeFn>
struct OpenSslFree {
  template <class T>
  void operator()(T *p) const noexcept {
    FreeFn(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpenSslFree<X509_free>>;

enum class KeyType { kRsa2048, kEcdsaP256 };
std::optional<KeyType> parse_key_type(std::string_view name);  // rsa-2048 | ecdsa-p256
KeyType key_type_of(const EVP_PKEY &key);

enum ExtUsage : unsigned { kServerAuth = 1, kClientAuth = 2 };

// What kubeadm's certlist.go says about one certificate.
struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;
  std::vector<std::string> dns_names, ip_addresses;
  unsigned ext_usage = 0;  // ExtUsage bits
  int validity_days = 365;
};

struct KeyPair {
  CertPtr cert;
  KeyPtr key;
};

KeyPtr generate_key(KeyType type);

// A kubeadm CA for `key`: 10 years, backdated 5 minutes, CA:TRUE, CertSign,
// DNS SAN = CN.
KeyPair make_ca(const std::string &common_name, KeyPtr key, int validity_days = 3650);

// A leaf for the fresh `key`, signed by `ca`: CA:FALSE,
// DigitalSignature|KeyEncipherment, the EKUs and SANs of `spec`.
KeyPair issue(const CertSpec &spec, const KeyPair &ca, KeyPtr key);

// What `kubeadm certs renew` copies from an existing cert (CN, O, SANs, EKU);
// validity and key are new (certs.md §4).
CertSpec spec_of(const X509 &cert, int validity_days);

std::string cert_pem(const X509 &cert);
// PKCS#1 "RSA PRIVATE KEY" / SEC1 "EC PRIVATE KEY", as kubeadm writes keys.
std::string key_pem(const EVP_PKEY &key);
// PKIX "PUBLIC KEY", as kubeadm writes sa.pub.
std::string public_key_pem(const EVP_PKEY &key);

CertPtr load_cert(std::string_view pem);
KeyPtr load_key(std::string_view pem);
KeyPair load_pair(std::string_view cert_pem_text, std::string_view key_pem_text);

}  // namespace kuphost::sandbox::detail
