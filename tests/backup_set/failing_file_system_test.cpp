// The FileSystem seam: a full disk in the middle of a copy or of the
// manifest, and a filesystem whose reflinks work.
#include <fcntl.h>
#include <sys/sendfile.h>

#include <algorithm>
#include <cerrno>
#include <gtest/gtest.h>

#include "backup_set/backup_set.h"
#include "tree_fixture.h"

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;
using namespace backup_set_test;

namespace {

// Real syscalls, but writes fail with ENOSPC once `budget` bytes are written,
// or (when `fail_path_contains` is set) only writes to matching files do.
class FullDisk : public eb::PosixFileSystem {
 public:
  explicit FullDisk(std::size_t budget) : budget_(budget) {}

  int open(const fs::path &path, int flags, mode_t mode) override {
    const int fd = PosixFileSystem::open(path, flags, mode);
    if (fd >= 0) names_[fd] = path.string();
    return fd;
  }
  ssize_t write(int fd, const void *buffer, std::size_t size) override {
    if (!fail_path_contains.empty() && names_[fd].find(fail_path_contains) == std::string::npos)
      return PosixFileSystem::write(fd, buffer, size);
    if (budget_ == 0) {
      errno = ENOSPC;
      return -1;
    }
    const std::size_t allowed = std::min(size, budget_);
    const ssize_t n = PosixFileSystem::write(fd, buffer, allowed);
    if (n > 0) budget_ -= static_cast<std::size_t>(n);
    return n;
  }

  std::string fail_path_contains;

 private:
  std::size_t budget_;
  std::map<int, std::string> names_;
};

// Pretends to be btrfs: FICLONE "works" (by a kernel copy) and is counted,
// and any write(2) to a file is counted too.
class ReflinkFileSystem : public eb::PosixFileSystem {
 public:
  int clone_file(int destination, int source) override {
    ++clones;
    off_t offset = 0;
    struct stat st {};
    if (::fstat(source, &st) != 0) return -1;
    for (off_t left = st.st_size; left > 0;) {
      const ssize_t n = ::sendfile(destination, source, &offset, static_cast<std::size_t>(left));
      if (n <= 0) return -1;
      left -= n;
    }
    return ::lseek(destination, 0, SEEK_SET) == 0 ? 0 : -1;
  }
  ssize_t write(int fd, const void *buffer, std::size_t size) override {
    ++writes;
    return PosixFileSystem::write(fd, buffer, size);
  }
  int clones = 0;
  int writes = 0;
};

// Files whose names mark them as partial copies, anywhere below `root`.
std::vector<std::string> partial_files(const fs::path &root) {
  std::vector<std::string> found;
  for (const auto &entry : fs::recursive_directory_iterator(root))
    if (entry.path().filename().string().ends_with(".kuphost-partial")) found.push_back(entry.path().string());
  return found;
}

}  // namespace

TEST(FullDisk, AFailedCopyLeavesNoManifestAndNoPartialFileUnderItsFinalName) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  FullDisk disk(1 << 20);  // the 3 MiB member/snap/db cannot fit
  eb::CopyOptions options;
  options.keep_partial_on_failure = true;
  try {
    eb::create_backup_set(source, tmp / "set", options, disk);
    FAIL() << "copied onto a full disk";
  } catch (const std::system_error &error) {
    EXPECT_EQ(error.code().value(), ENOSPC);
    EXPECT_NE(std::string(error.what()).find("member/snap/.db.kuphost-partial"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(tmp / "set/MANIFEST.sha256"));
  EXPECT_FALSE(fs::exists(tmp / "set/member/snap/db"));
  EXPECT_TRUE(partial_files(tmp / "set").empty());
  EXPECT_EQ(eb::verify_set(tmp / "set").problems.at(0).kind, eb::ProblemKind::kIncomplete);
}

TEST(FullDisk, ByDefaultAFailedBackupGivesTheSpaceBack) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  FullDisk disk(1 << 20);
  EXPECT_THROW(eb::create_backup_set(source, tmp / "set", {}, disk), std::system_error);
  EXPECT_FALSE(fs::exists(tmp / "set"));
}

TEST(FullDisk, AManifestThatCannotBeWrittenLeavesNone) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  FullDisk disk(0);
  disk.fail_path_contains = "MANIFEST";
  eb::CopyOptions options;
  options.keep_partial_on_failure = true;
  EXPECT_THROW(eb::create_backup_set(source, tmp / "set", options, disk), std::system_error);
  EXPECT_TRUE(fs::exists(tmp / "set/member/snap/db"));  // the copy itself finished
  EXPECT_FALSE(fs::exists(tmp / "set/MANIFEST.sha256"));
  EXPECT_TRUE(partial_files(tmp / "set").empty());
}

TEST(FullDisk, AFailedRestoreLeavesTheTargetAsItWas) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::create_backup_set(source, tmp / "set");
  FullDisk disk(1 << 20);
  EXPECT_THROW(eb::restore_tree(tmp / "set", tmp / "restored", {}, disk), std::system_error);
  EXPECT_FALSE(fs::exists(tmp / "restored"));
}

TEST(Reflink, ClonesAndHashesTheCloneWithoutWriting) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  ReflinkFileSystem btrfs;
  const auto manifest = eb::create_backup_set(source, tmp / "set", {}, btrfs);
  const auto files = std::count_if(manifest.entries.begin(), manifest.entries.end(),
                                   [](const eb::Entry &entry) { return entry.type == eb::EntryType::kFile; });
  EXPECT_EQ(files, 8);
  EXPECT_EQ(btrfs.clones, files);  // every regular file
  EXPECT_EQ(btrfs.writes, 1);  // only the manifest
  EXPECT_TRUE(eb::verify_set(tmp / "set").ok());
  eb::restore_tree(tmp / "set", tmp / "restored", {}, btrfs);
  EXPECT_EQ(btrfs.clones, 2 * files);
  EXPECT_EQ(btrfs.writes, 1);
  EXPECT_EQ(snapshot(tmp / "restored"), snapshot(source));
}
