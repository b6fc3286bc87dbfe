// `kuphost sandbox calico-release`: the manifests as files, and the tree as
// a tar.gz (libarchive) with its SHA-256 (OpenSSL), as Calico's GitHub
// release bundle.
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <ctime>
#include <memory>
#include <stdexcept>

#include "fs_util.h"
#include "kuphost/sandbox/calico.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;

struct ArchiveFree {
  void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry *e) const { archive_entry_free(e); }
};

void check(archive *a, int rc, const std::string &what) {
  if (rc != ARCHIVE_OK) throw std::runtime_error(what + ": " + (archive_error_string(a) ? archive_error_string(a) : "failed"));
}

void add_entry(archive *a, const std::string &name, const std::string *content) {
  std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), content ? AE_IFREG : AE_IFDIR);
  archive_entry_set_perm(entry.get(), content ? 0644 : 0755);
  archive_entry_set_size(entry.get(), content ? static_cast<la_int64_t>(content->size()) : 0);
  archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
  check(a, archive_write_header(a, entry.get()), "writing " + name);
  if (content && archive_write_data(a, content->data(), content->size()) != static_cast<la_ssize_t>(content->size()))
    throw std::runtime_error("writing " + name + ": " + archive_error_string(a));
}

void write_bundle(const fs::path &tgz, const std::string &top,
                  const std::vector<std::pair<std::string, std::string>> &files) {
  std::unique_ptr<archive, ArchiveFree> a(archive_write_new());
  check(a.get(), archive_write_add_filter_gzip(a.get()), "gzip");
  check(a.get(), archive_write_set_format_pax_restricted(a.get()), "tar");
  check(a.get(), archive_write_open_filename(a.get(), tgz.c_str()), "opening " + tgz.string());
  add_entry(a.get(), top + "/", nullptr);
  add_entry(a.get(), top + "/manifests/", nullptr);
  for (const auto &[name, text] : files) add_entry(a.get(), top + "/manifests/" + name, &text);
  check(a.get(), archive_write_close(a.get()), "closing " + tgz.string());
}

std::string sha256_hex(const std::string &data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static const char *hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace

bool write_calico_release(const fs::path &out, const std::string &version, std::string *sha256, std::string *error) {
  if (!valid_calico_version(version, error)) return false;
  try {
    const std::string top = "release-" + version;
    const auto files = calico_manifests(version);
    for (const auto &[name, text] : files) detail::write_file(out / top / "manifests" / name, text, 0644);
    const fs::path tgz = out / (top + ".tgz");
    write_bundle(tgz, top, files);
    if (sha256) *sha256 = sha256_hex(detail::read_file(tgz));
    return true;
  } catch (const std::exception &e) {
    if (error) *error = "cannot write the Calico release to " + out.string() + ": " + e.what();
    return false;
  }
}

}  // namespace kuphost::sandbox
