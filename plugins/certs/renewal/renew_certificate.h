//===- certs/renewal/renew_certificate.h - one leaf renewed as kubeadm does --
//
// certs.md §4: a new private key every time, of the old key's type and size;
// CN, O, SAN DNS names and IPs and extended key usages copied from the old
// certificate; serial, validity and key usage regenerated; everything else
// dropped. Signed by the CA that signed the old one; never valid past it.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CERTS_RENEWAL_RENEW_CERTIFICATE_H
#define KUPHOST_PLUGINS_CERTS_RENEWAL_RENEW_CERTIFICATE_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kuphost_plugins::certs {

class RenewalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RenewedCertificate {
  std::string cert_pem;
  std::string key_pem;  // unencrypted; PKCS#1 for RSA, SEC1 for EC, as kubeadm writes keys
  int64_t not_after_unix = 0;
};

// `validity_seconds` from now, but never past the CA's notAfter. Throws
// RenewalError naming what is wrong (a CA given as the leaf, a CA that did
// not sign the certificate, an unsupported key type).
RenewedCertificate renew_certificate(std::string_view old_cert_pem, std::string_view ca_cert_pem,
                                     std::string_view ca_key_pem, int64_t now_unix, int64_t validity_seconds);

}  // namespace kuphost_plugins::certs

#endif  // KUPHOST_PLUGINS_CERTS_RENEWAL_RENEW_CERTIFICATE_H
