#include "release_bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

namespace kuphost_plugins::cni_calico {
namespace {

constexpr la_int64_t kMaxManifestBytes = 64LL * 1024 * 1024;

// A path inside the archive that stays inside it: relative, no "..".
bool contained(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

// A symlink's target, resolved against its own directory, stays inside.
bool link_contained(const std::string &entry, const std::string &target) {
  if (target.empty() || target.front() == '/') return false;
  const auto slash = entry.rfind('/');
  const std::string joined = (slash == std::string::npos ? std::string() : entry.substr(0, slash + 1)) + target;
  int depth = 0;
  size_t start = 0;
  while (start <= joined.size()) {
    const auto next = joined.find('/', start);
    const std::string part = joined.substr(start, next == std::string::npos ? std::string::npos : next - start);
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    if (next == std::string::npos) break;
    start = next + 1;
  }
  return true;
}

// "release-v3.30.3/manifests/calico.yaml" -> "calico.yaml"; empty otherwise.
std::string manifest_name(const std::string &path) {
  const auto first = path.find('/');
  if (first == std::string::npos || path.rfind("release-", 0) != 0) return {};
  const std::string rest = path.substr(first + 1);
  const std::string prefix = "manifests/";
  if (rest.rfind(prefix, 0) != 0) return {};
  const std::string name = rest.substr(prefix.size());
  return name.empty() || name.find('/') != std::string::npos ? std::string() : name;
}

}  // namespace

void check_bundle_digest(const std::filesystem::path &bundle, const std::string &expected) {
  std::string want;
  for (char c : expected) want += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  const auto digest = sha256_file_hex(bundle);
  if (!digest) throw BundleError("cannot read " + bundle.string());
  const std::string &actual = *digest;
  if (actual != want)
    throw BundleError(bundle.string() + " has SHA-256 " + actual + ", not the configured cni-calico.bundle-sha256 " +
                      expected + "; nothing was unpacked");
}

std::map<std::string, std::string> read_release_manifests(const std::filesystem::path &bundle) {
  std::unique_ptr<struct archive, decltype(&archive_read_free)> reader(archive_read_new(), &archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_filename(reader.get(), bundle.c_str(), 1 << 16) != ARCHIVE_OK)
    throw BundleError(bundle.string() + " is not a readable tar.gz: " + archive_error_string(reader.get()));
  std::map<std::string, std::string> manifests;
  struct archive_entry *entry = nullptr;
  for (;;) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
      throw BundleError(bundle.string() + " is not a readable tar.gz: " + archive_error_string(reader.get()));
    const char *raw = archive_entry_pathname(entry);
    const std::string path = raw ? raw : "";
    if (!contained(path))
      throw BundleError(bundle.string() + " has an entry outside its directory (" + path + "); nothing was unpacked");
    if (const char *hard = archive_entry_hardlink(entry); hard && !contained(hard))
      throw BundleError(bundle.string() + " links " + path + " to " + hard + ", outside the archive; nothing was unpacked");
    if (const char *sym = archive_entry_symlink(entry); sym && !link_contained(path, sym))
      throw BundleError(bundle.string() + " links " + path + " to " + sym + ", outside the archive; nothing was unpacked");
    const std::string name = manifest_name(path);
    if (name.empty() || archive_entry_filetype(entry) != AE_IFREG) continue;
    if (archive_entry_size(entry) > kMaxManifestBytes)
      throw BundleError(bundle.string() + ": " + path + " is larger than 64 MiB; not a manifest");
    std::string content(static_cast<size_t>(archive_entry_size(entry)), '\0');
    if (!content.empty() &&
        archive_read_data(reader.get(), content.data(), content.size()) != static_cast<la_ssize_t>(content.size()))
      throw BundleError("cannot read " + path + " from " + bundle.string() + ": " + archive_error_string(reader.get()));
    manifests[name] = std::move(content);
  }
  if (manifests.empty())
    throw BundleError(bundle.string() + " holds no release-*/manifests/ directory; is it Calico's release bundle?");
  return manifests;
}

}  // namespace kuphost_plugins::cni_calico
