#include "pem_certificate.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <ctime>

#include "openssl_handles.h"

namespace kuphost_plugins::certs {
namespace {

std::string openssl_reason(const char *fallback) {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    reason = text;  // the last one is the innermost cause
  }
  return reason.empty() ? fallback : reason;
}

}  // namespace

std::variant<int64_t, std::string> pem_not_after(std::string_view pem) {
  ERR_clear_error();
  BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return openssl_reason("out of memory");
  X509Handle cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return "not a PEM certificate: " + openssl_reason("no CERTIFICATE block");
  std::tm tm{};
  if (!ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm)) return "unreadable notAfter: " + openssl_reason("");
  return static_cast<int64_t>(timegm(&tm));
}

bool base64_decode(std::string_view text, std::string &out) {
  std::string compact;
  for (const char c : text)
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact += c;
  if (compact.size() % 4 != 0) return false;
  out.assign(compact.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(compact.data()), static_cast<int>(compact.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = compact.size(); i > 0 && compact[i - 1] == '=' && size > 0; --i) --size;
  out.resize(size);
  return true;
}

}  // namespace kuphost_plugins::certs
