#include "pack_set.h"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <vector>

#include "archive_error.h"
#include "archive_handles.h"
#include "backup_set/io.h"
#include "backup_set/manifest.h"
#include "backup_set/sha256.h"
#include "backup_set/verify_set.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::size_t kBlockSize = std::size_t{1} << 20;

// libarchive -> [encryption] -> the partial file. libarchive calls back
// with compressed blocks; an exception there is kept and rethrown by check()
// once libarchive returns, so the caller sees ENOSPC, not "write failed".
class ArchiveOutput {
 public:
  ArchiveOutput(FileSystem &fs, PartialFile &file, ArchiveFormat format, const std::optional<EncryptionKey> &key,
                const PackOptions &options)
      : fs_(fs), file_(file), writer_(archive_write_new()) {
    if (!writer_) throw ArchiveError("libarchive: out of memory");
    if (key)
      encryptor_ = std::make_unique<EncryptingWriter>(
          *key, [this](std::span<const std::byte> bytes) { write_file(bytes); }, options.encryption_chunk_size);
    check(archive_write_set_format_pax_restricted(a()), "cannot select pax format");
    switch (format) {
      case ArchiveFormat::kTar: break;
      case ArchiveFormat::kTarZstd: check(archive_write_add_filter_zstd(a()), "cannot add zstd"); break;
      case ArchiveFormat::kTarGzip: check(archive_write_add_filter_gzip(a()), "cannot add gzip"); break;
    }
    if (options.compression_level != 0 && format != ArchiveFormat::kTar)
      check(archive_write_set_filter_option(a(), nullptr, "compression-level",
                                            std::to_string(options.compression_level).c_str()),
            "cannot set the compression level");
    // Large blocks mean few write(2) calls; no padding of the last one, which
    // only matters for tape drives.
    check(archive_write_set_bytes_per_block(a(), static_cast<int>(kBlockSize)), "cannot set the block size");
    check(archive_write_set_bytes_in_last_block(a(), 1), "cannot set the last block size");
    check(archive_write_open(a(), this, nullptr, &ArchiveOutput::write_callback, nullptr), "cannot open");
  }

  archive *a() { return writer_.get(); }

  // Fails on ARCHIVE_FAILED/FATAL; a warning (a name kept as raw bytes) is fine.
  void check(int status, const char *what) {
    if (status == ARCHIVE_OK || status == ARCHIVE_WARN) return;
    if (error_) std::rethrow_exception(error_);
    const char *detail = archive_error_string(a());
    throw ArchiveError(file_.partial_path().string() + ": " + what + ": " + (detail ? detail : "libarchive error"));
  }

  void close() {
    check(archive_write_close(a()), "cannot finish the archive");
    if (encryptor_) encryptor_->finish();
  }

 private:
  static la_ssize_t write_callback(archive *a, void *self, const void *buffer, size_t size) {
    auto *output = static_cast<ArchiveOutput *>(self);
    try {
      const std::span bytes(static_cast<const std::byte *>(buffer), size);
      if (output->encryptor_)
        output->encryptor_->write(bytes);
      else
        output->write_file(bytes);
      return static_cast<la_ssize_t>(size);
    } catch (...) {
      output->error_ = std::current_exception();
      archive_set_error(a, EIO, "write failed");
      return -1;
    }
  }

  void write_file(std::span<const std::byte> bytes) { write_all(fs_, file_.fd(), bytes, file_.partial_path()); }

  FileSystem &fs_;
  PartialFile &file_;
  std::unique_ptr<EncryptingWriter> encryptor_;
  std::exception_ptr error_;
  ArchiveWriter writer_;  // last: freed first, while what its callback uses still exists
};


[[noreturn]] void mismatch(const std::filesystem::path &set, const Problem &problem) {
  throw ArchiveError("cannot pack " + set.string() + ": the set does not match its manifest: " + describe(problem));
}

class SetPacker {
 public:
  SetPacker(FileSystem &fs, const std::filesystem::path &set, const Manifest &manifest, ArchiveOutput &output)
      : fs_(fs), set_(set), manifest_(manifest), output_(output), buffer_(kBlockSize) {}

  void pack_entries() {
    for (const auto &entry : manifest_.entries) pack(entry);
  }

  // The manifest is an ordinary file of the set, packed last so that a
  // reader has seen every entry when it reaches it.
  void pack_manifest() {
    const auto path = set_ / kManifestName;
    OpenFile file(fs_, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    const struct stat status = file.status();
    auto header = make_header(std::string(kManifestName), AE_IFREG, status.st_mode & 07777, status);
    archive_entry_set_size(header.get(), status.st_size);
    output_.check(archive_write_header(output_.a(), header.get()), "cannot write the header of the manifest");
    stream(file, path, static_cast<std::uint64_t>(status.st_size));
  }

 private:
  ArchiveEntryHandle make_header(const std::string &name, unsigned type, mode_t mode, const struct stat &status) {
    ArchiveEntryHandle header(archive_entry_new());
    if (!header) throw ArchiveError("libarchive: out of memory");
    archive_entry_set_pathname(header.get(), name.c_str());
    archive_entry_set_filetype(header.get(), type);
    archive_entry_set_perm(header.get(), mode);
    archive_entry_set_mtime(header.get(), status.st_mtim.tv_sec, status.st_mtim.tv_nsec);
    return header;
  }

  void pack(const Entry &entry) {
    const auto path = entry.path == "." ? set_ : set_ / entry.path;
    const mode_t mode = stored_mode(entry, manifest_.private_set);
    struct stat status = lstat_or_throw(fs_, path);
    const bool same_type = entry.type == EntryType::kDirectory ? S_ISDIR(status.st_mode)
                           : entry.type == EntryType::kFile    ? S_ISREG(status.st_mode)
                                                               : S_ISLNK(status.st_mode);
    if (!same_type) mismatch(set_, {ProblemKind::kTypeChanged, entry.path, "not as the manifest lists it"});
    if (entry.type != EntryType::kSymlink && (status.st_mode & 07777) != mode)
      mismatch(set_, {ProblemKind::kModeChanged, entry.path,
                      octal_mode(mode) + " expected, " + octal_mode(status.st_mode & 07777) + " found"});

    switch (entry.type) {
      case EntryType::kDirectory: {
        auto header = make_header(entry.path, AE_IFDIR, mode, status);
        output_.check(archive_write_header(output_.a(), header.get()), "cannot write a header");
        break;
      }
      case EntryType::kSymlink: {
        const auto target = fs_.readlink(path);
        if (!target) throw_errno(errno, "cannot read the symlink", path);
        if (*target != entry.link_target)
          mismatch(set_, {ProblemKind::kContentChanged, entry.path, "points to '" + *target + "'"});
        auto header = make_header(entry.path, AE_IFLNK, 0777, status);
        archive_entry_set_symlink(header.get(), target->c_str());
        output_.check(archive_write_header(output_.a(), header.get()), "cannot write a header");
        break;
      }
      case EntryType::kFile: {
        OpenFile file(fs_, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        status = file.status();
        if (static_cast<std::uint64_t>(status.st_size) != entry.size)
          mismatch(set_, {ProblemKind::kSizeChanged, entry.path,
                          std::to_string(entry.size) + " bytes in the manifest, " +
                              std::to_string(status.st_size) + " found"});
        auto header = make_header(entry.path, AE_IFREG, mode, status);
        archive_entry_set_size(header.get(), status.st_size);
        output_.check(archive_write_header(output_.a(), header.get()), "cannot write a header");
        fs_.advise_sequential(file.fd());
        const std::string sha256 = stream(file, path, entry.size);
        if (sha256 != entry.sha256)
          mismatch(set_, {ProblemKind::kContentChanged, entry.path,
                          "sha256 " + entry.sha256 + " in the manifest, " + sha256 + " read"});
        break;
      }
    }
  }

  // Copies `size` bytes of `file` into the current entry; returns their hash.
  std::string stream(OpenFile &file, const std::filesystem::path &path, std::uint64_t size) {
    std::uint64_t copied = 0;
    while (true) {
      const std::size_t n = read_full(fs_, file.fd(), buffer_, path);
      if (n == 0) break;
      if (copied + n > size) throw ArchiveError("cannot pack " + path.string() + ": it grew while being packed");
      digest_.update(std::span(buffer_).first(n));
      const la_ssize_t written = archive_write_data(output_.a(), buffer_.data(), n);
      if (written < 0) output_.check(ARCHIVE_FATAL, "cannot write file data");
      copied += n;
    }
    if (copied != size) throw ArchiveError("cannot pack " + path.string() + ": it shrank while being packed");
    return digest_.finish_hex();
  }

  FileSystem &fs_;
  const std::filesystem::path &set_;
  const Manifest &manifest_;
  ArchiveOutput &output_;
  std::vector<std::byte> buffer_;
  Sha256 digest_;
};

}  // namespace

void pack_set(const std::filesystem::path &set, const std::filesystem::path &archive_path, ArchiveFormat format,
              const std::optional<EncryptionKey> &key, const PackOptions &options, FileSystem &fs) {
  const auto manifest = read_manifest(fs, set);
  if (!manifest)
    throw ArchiveError(set.string() + " is incomplete (no " + std::string(kManifestName) + "); not packing it");
  if (exists(fs, archive_path)) throw ArchiveError(archive_path.string() + " exists; not overwriting it");
  // A partial file left by a crash is ours (its name says so): start over.
  const auto partial = partial_name_for(archive_path);
  if (exists(fs, partial) && fs.unlink(partial) != 0) throw_errno(errno, "cannot remove", partial);

  PartialFile file(fs, archive_path);  // 0600 from the start
  {
    ArchiveOutput output(fs, file, format, key, options);
    SetPacker packer(fs, set, *manifest, output);
    packer.pack_entries();
    packer.pack_manifest();
    output.close();
  }
  file.commit(0600);
  const auto directory = archive_path.parent_path();
  sync_directory(fs, directory.empty() ? "." : directory);
}

}  // namespace kuphost_plugins::etcd_backup
