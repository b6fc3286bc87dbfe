// kuphost-bench-archive: how long pack_set, verify_archive and unpack_set
// take per format, with and without encryption, on an etcd-shaped set.
//   kuphost-bench-archive WORK_DIR [SIZE_MIB (256)] [RUNS (3)]
// WORK_DIR must not exist; it needs about 4x SIZE_MIB and is removed at the
// end. Data like backup_bench.sh's: member/snap/db three quarters random and
// a quarter zeros, four WAL segments half random, half zeros. Prints the
// median wall time of RUNS runs and the set's MiB per second. Page cache
// never dropped (needs root and evicts other work); sync(2) before each run.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "archive/backup_archive.h"
#include "backup_set/backup_set.h"

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;

namespace {

void write_random_then_zeros(const fs::path &path, std::size_t random_bytes, std::size_t zero_bytes) {
  std::ofstream out(path, std::ios::binary);
  std::mt19937_64 random(path.string().size());
  std::vector<std::uint64_t> block(1 << 17);  // 1 MiB
  for (std::size_t done = 0; done < random_bytes; done += block.size() * 8) {
    for (auto &word : block) word = random();
    out.write(reinterpret_cast<const char *>(block.data()),
              static_cast<std::streamsize>(std::min(block.size() * 8, random_bytes - done)));
  }
  const std::string zeros(1 << 20, '\0');
  for (std::size_t done = 0; done < zero_bytes; done += zeros.size())
    out.write(zeros.data(), static_cast<std::streamsize>(std::min(zeros.size(), zero_bytes - done)));
}

void make_data(const fs::path &data, std::size_t size_mib) {
  const std::size_t mib = 1 << 20;
  const std::size_t wal_mib = size_mib >= 320 ? 64 : 16;
  const std::size_t db_mib = size_mib - 4 * wal_mib;
  fs::create_directories(data / "member/snap");
  fs::create_directories(data / "member/wal");
  write_random_then_zeros(data / "member/snap/db", db_mib * 3 / 4 * mib, (db_mib - db_mib * 3 / 4) * mib);
  for (int i = 0; i < 4; ++i)
    write_random_then_zeros(data / "member/wal" / ("000000000000000" + std::to_string(i) + "-0.wal"),
                            wal_mib / 2 * mib, wal_mib / 2 * mib);
}

double seconds(const std::function<void()> &work) {
  ::sync();
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fputs("usage: kuphost-bench-archive WORK_DIR [SIZE_MIB] [RUNS]\n", stderr);
    return 2;
  }
  const fs::path work = argv[1];
  const std::size_t size_mib = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 256;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  try {
    fs::create_directory(work);
    make_data(work / "etcd", size_mib);
    eb::create_backup_set(work / "etcd", work / "set");
    const std::optional<eb::EncryptionKey> no_key;
    std::array<std::byte, eb::EncryptionKey::kSize> key_bytes{};
    key_bytes.fill(std::byte{7});
    const std::optional<eb::EncryptionKey> key{eb::EncryptionKey(key_bytes)};
    const double set_mib = static_cast<double>(size_mib);
    std::printf("set: %zu MiB; median of %d runs; MiB/s of the set\n", size_mib, runs);
    std::printf("%-18s %12s %5s %5s %6s %5s %6s %5s\n", "format", "archive MiB", "pack", "MiB/s", "verify", "MiB/s",
                "unpack", "MiB/s");
    for (const auto format : {eb::ArchiveFormat::kTar, eb::ArchiveFormat::kTarZstd, eb::ArchiveFormat::kTarGzip}) {
      for (const bool encrypted : {false, true}) {
        const auto &k = encrypted ? key : no_key;
        const fs::path archive = work / ("set" + eb::archive_suffix(format, encrypted));
        std::vector<double> pack, verify, unpack;
        for (int run = 0; run < runs; ++run) {
          fs::remove(archive);
          pack.push_back(seconds([&] { eb::pack_set(work / "set", archive, format, k); }));
          verify.push_back(seconds([&] {
            if (!eb::verify_archive(archive, k).ok()) throw std::runtime_error("verify_archive found problems");
          }));
          fs::remove_all(work / "unpacked");
          unpack.push_back(seconds([&] { eb::unpack_set(archive, work / "unpacked", k); }));
        }
        const double archive_mib = static_cast<double>(fs::file_size(archive)) / (1 << 20);
        std::printf("%-18s %12.1f %5.2f %5.0f %6.2f %5.0f %6.2f %5.0f\n",
                    eb::archive_suffix(format, encrypted).c_str() + 1, archive_mib, median(pack),
                    set_mib / median(pack), median(verify), set_mib / median(verify), median(unpack),
                    set_mib / median(unpack));
        std::fflush(stdout);
        fs::remove(archive);
      }
    }
  } catch (const std::exception &error) {
    std::fprintf(stderr, "kuphost-bench-archive: %s\n", error.what());
    fs::remove_all(work);
    return 2;
  }
  fs::remove_all(work);
  return 0;
}
