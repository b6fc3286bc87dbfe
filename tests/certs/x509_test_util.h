// Small OpenSSL readers the certs tests compare certificates with.
#pragma once

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <string>

#include "inventory/openssl_handles.h"

namespace kuphost::test::certs {

inline kuphost_plugins::certs::X509Handle parse_pem(const std::string &pem) {
  kuphost_plugins::certs::BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return kuphost_plugins::certs::X509Handle(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// The DER of extension `nid`; empty when absent.
inline std::string extension_bytes(X509 *cert, int nid) {
  const int at = X509_get_ext_by_NID(cert, nid, -1);
  if (at < 0) return "";
  const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(X509_get_ext(cert, at));
  return std::string(reinterpret_cast<const char *>(ASN1_STRING_get0_data(data)),
                     static_cast<std::size_t>(ASN1_STRING_length(data)));
}

inline std::string subject_text(X509 *cert) {
  char text[512];
  X509_NAME_oneline(X509_get_subject_name(cert), text, sizeof text);
  return text;
}

}  // namespace kuphost::test::certs
