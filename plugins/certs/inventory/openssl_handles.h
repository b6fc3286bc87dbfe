// Owning handles for the OpenSSL objects the inventory touches, so that an
// early return or a throw on a corrupt file never leaks them.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace kuphost_plugins::certs {

template <auto FreeFn>
struct OpenSslDeleter {
  template <class T>
  void operator()(T *p) const noexcept {
    FreeFn(p);
  }
};

using X509Handle = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BioHandle = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using PkeyHandle = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;

}  // namespace kuphost_plugins::certs
