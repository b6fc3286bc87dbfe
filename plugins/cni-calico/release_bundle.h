//===- cni-calico/release_bundle.h - Calico's release tarball, checked and unpacked
//
// Calico publishes release-vX.Y.Z.tgz with release-vX.Y.Z/manifests/ inside.
// kuphost checks its SHA-256 (OpenSSL EVP, streamed) against the configured
// digest before libarchive reads a single header, refuses the whole archive
// when any entry is unsafe (an absolute path, "..", a link leading out of
// it), and keeps only the files directly under release-*/manifests/.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_RELEASE_BUNDLE_H
#define KUPHOST_PLUGINS_CNI_CALICO_RELEASE_BUNDLE_H

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/sha256.hpp"

namespace kuphost_plugins::cni_calico {

class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// SHA-256 of bytes and of files, shared by the plugins.
using kuphost_plugins::sha256_file_hex;
using kuphost_plugins::sha256_hex;

// Throws BundleError("... has SHA-256 X, not the configured Y ...") on a
// mismatch; `expected` may be upper case.
void check_bundle_digest(const std::filesystem::path &bundle, const std::string &expected);

// File name ("calico.yaml") -> content, for each regular file directly under
// release-*/manifests/. Throws BundleError naming the first unsafe entry, or
// when the archive has no such directory.
std::map<std::string, std::string> read_release_manifests(const std::filesystem::path &bundle);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_RELEASE_BUNDLE_H
