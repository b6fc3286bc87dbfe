// kuphost-bench-backup: the backup-set library as backup_bench.sh times it.
//   kuphost-bench-backup backup FROM SET [--single-thread] [--no-reflink] [--buffer-mib N]
//   kuphost-bench-backup verify SET
//   kuphost-bench-backup restore SET TO
//   kuphost-bench-backup probe-copy-file-range FILE COPY [--buffer-mib N]
// The probe is the alternative hashing_copier.cpp rejects (read + hash each
// block, then copy_file_range it), kept here so its figure can be re-measured.
// Exit status: 0 fine, 1 the set has problems, 2 usage or I/O error.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backup_set/backup_set.h"
#include "backup_set/sha256.h"

namespace eb = kuphost_plugins::etcd_backup;

namespace {

int usage() {
  std::fputs("usage: kuphost-bench-backup backup FROM SET [--single-thread] [--no-reflink] [--buffer-mib N]\n"
             "       kuphost-bench-backup verify SET\n"
             "       kuphost-bench-backup restore SET TO\n"
             "       kuphost-bench-backup probe-copy-file-range FILE COPY [--buffer-mib N]\n",
             stderr);
  return 2;
}

eb::StreamOptions stream_options(const std::vector<std::string> &flags) {
  eb::StreamOptions options;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags[i] == "--single-thread") {
      options.hash_on_second_thread = false;
    } else if (flags[i] == "--no-reflink") {
      options.try_reflink = false;
    } else if (flags[i] == "--buffer-mib" && i + 1 < flags.size()) {
      options.buffer_size = std::stoul(flags[++i]) << 20;
    } else {
      throw std::invalid_argument("unknown option " + flags[i]);
    }
  }
  return options;
}

// Reads and hashes each block, then lets the kernel copy the same range.
int probe_copy_file_range(const char *from, const char *to, std::size_t block) {
  const int in = ::open(from, O_RDONLY | O_CLOEXEC);
  const int out = ::open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (in < 0 || out < 0) throw std::runtime_error(std::string("open: ") + std::strerror(errno));
  auto buffer = std::make_unique<std::byte[]>(block);
  eb::Sha256 digest;
  for (;;) {
    const ssize_t n = ::read(in, buffer.get(), block);
    if (n < 0) throw std::runtime_error(std::string("read: ") + std::strerror(errno));
    if (n == 0) break;
    digest.update({buffer.get(), static_cast<std::size_t>(n)});
    loff_t offset = ::lseek(in, 0, SEEK_CUR) - n;
    for (ssize_t left = n; left > 0;) {
      const ssize_t copied = ::copy_file_range(in, &offset, out, nullptr, static_cast<std::size_t>(left), 0);
      if (copied <= 0) throw std::runtime_error(std::string("copy_file_range: ") + std::strerror(errno));
      left -= copied;
    }
  }
  if (::fsync(out) != 0) throw std::runtime_error(std::string("fsync: ") + std::strerror(errno));
  ::close(in);
  ::close(out);
  std::printf("%s  %s\n", digest.finish_hex().c_str(), to);
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) return usage();
  const std::string command = argv[1];
  try {
    if (command == "backup" && argc >= 4) {
      eb::CopyOptions options;
      options.stream = stream_options({argv + 4, argv + argc});
      const auto manifest = eb::create_backup_set(argv[2], argv[3], options);
      std::printf("%zu entries\n", manifest.entries.size());
      return 0;
    }
    if (command == "verify" && argc == 3) {
      const auto report = eb::verify_set(argv[2]);
      for (const auto &problem : report.problems) std::printf("%s\n", eb::describe(problem).c_str());
      return report.ok() ? 0 : 1;
    }
    if (command == "restore" && argc == 4) {
      eb::restore_tree(argv[2], argv[3]);
      return 0;
    }
    if (command == "probe-copy-file-range" && argc >= 4)
      return probe_copy_file_range(argv[2], argv[3], stream_options({argv + 4, argv + argc}).buffer_size);
  } catch (const std::exception &error) {
    std::fprintf(stderr, "kuphost-bench-backup: %s\n", error.what());
    return 2;
  }
  return usage();
}
