// copy_tree_hashed, create_backup_set and restore_tree on real files.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "backup_set/backup_set.h"
#include "backup_set/sha256.h"
#include "tree_fixture.h"

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;
using namespace backup_set_test;

namespace {

std::string sha256_of(const std::string &text) {
  eb::Sha256 digest;
  digest.update(std::as_bytes(std::span(text)));
  return digest.finish_hex();
}

const eb::Entry *find(const std::vector<eb::Entry> &entries, const std::string &path) {
  for (const auto &entry : entries)
    if (entry.path == path) return &entry;
  return nullptr;
}

// Small blocks so the 3 MiB file takes many trips through the two-thread
// pipeline.
eb::StreamOptions small_blocks() {
  eb::StreamOptions options;
  options.buffer_size = 64 * 1024;
  options.hash_on_second_thread = true;
  return options;
}

}  // namespace

TEST(CopyTreeHashed, ListsEveryEntryWithSizeModeAndHash) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::CopyOptions options;
  options.stream = small_blocks();
  const auto entries = eb::copy_tree_hashed(source, tmp / "set", options);

  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().path, ".");
  const auto *db = find(entries, "member/snap/db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->type, eb::EntryType::kFile);
  EXPECT_EQ(db->size, fs::file_size(source / "member/snap/db"));
  EXPECT_EQ(db->sha256, sha256_of(read_file(source / "member/snap/db")));
  const auto *empty = find(entries, "empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(empty->mode, 0400u);
  EXPECT_EQ(empty->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto *link = find(entries, "member/db-link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, eb::EntryType::kSymlink);
  EXPECT_EQ(link->link_target, "snap/db");
  EXPECT_EQ(find(entries, "locked")->mode, 0500u);
  EXPECT_EQ(find(entries, "empty dir")->type, eb::EntryType::kDirectory);
  // Parents come before their contents.
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto parent = fs::path(entries[i].path).parent_path().string();
    const auto *found = find(entries, parent.empty() ? "." : parent);
    ASSERT_NE(found, nullptr) << entries[i].path;
    EXPECT_LT(found - entries.data(), static_cast<std::ptrdiff_t>(i)) << entries[i].path;
  }
}

TEST(CopyTreeHashed, PrivateSetIsFiles0600AndDirectories0700) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::copy_tree_hashed(source, tmp / "set");
  for (const auto &[path, description] : snapshot(tmp / "set")) {
    if (description.starts_with("d ")) {
      EXPECT_EQ(description, "d 0700") << path;
    } else if (description.starts_with("f ")) {
      EXPECT_TRUE(description.starts_with("f 0600 ")) << path;
    }
  }
  EXPECT_EQ(read_file(tmp / "set/member/snap/db"), read_file(source / "member/snap/db"));
  EXPECT_EQ(fs::read_symlink(tmp / "set/member/db-link"), "snap/db");
}

TEST(CopyTreeHashed, SourceModesWhenNotPrivate) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::CopyOptions options;
  options.private_set = false;
  options.stream.hash_on_second_thread = false;  // the single-thread path too
  eb::copy_tree_hashed(source, tmp / "set", options);
  EXPECT_EQ(snapshot(tmp / "set"), snapshot(source));
}

TEST(CopyTreeHashed, RefusesAnExistingTarget) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  fs::create_directories(tmp / "set");
  write_file(tmp / "set/keep", "data");
  EXPECT_THROW(eb::create_backup_set(source, tmp / "set"), std::system_error);
  EXPECT_EQ(read_file(tmp / "set/keep"), "data");  // not cleaned up: not ours
}

TEST(CopyTreeHashed, RefusesSpecialFiles) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  ASSERT_EQ(::mkfifo((source / "member/fifo").c_str(), 0600), 0);
  EXPECT_THROW(eb::create_backup_set(source, tmp / "set"), std::runtime_error);
  EXPECT_FALSE(fs::exists(tmp / "set"));
}

TEST(RestoreTree, RoundTripGivesTheSourceBack) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::CopyOptions options;
  options.stream = small_blocks();
  eb::create_backup_set(source, tmp / "set", options);
  eb::restore_tree(tmp / "set", tmp / "restored", small_blocks());
  EXPECT_EQ(snapshot(tmp / "restored"), snapshot(source));
  struct stat original {}, restored {};
  ASSERT_EQ(::stat((source / "member/snap/db").c_str(), &original), 0);
  ASSERT_EQ(::stat((tmp / "restored/member/snap/db").c_str(), &restored), 0);
  EXPECT_EQ(restored.st_mtim.tv_sec, original.st_mtim.tv_sec);
}

TEST(RestoreTree, IntoAnExistingEmptyDirectory) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::create_backup_set(source, tmp / "set");
  fs::create_directories(tmp / "var-lib-etcd");
  eb::restore_tree(tmp / "set", tmp / "var-lib-etcd");
  EXPECT_EQ(snapshot(tmp / "var-lib-etcd"), snapshot(source));
}

TEST(RestoreTree, RefusesANonEmptyTarget) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::create_backup_set(source, tmp / "set");
  write_file(tmp / "live/member/snap/db", "the member's current data");
  const auto before = snapshot(tmp / "live");
  try {
    eb::restore_tree(tmp / "set", tmp / "live");
    FAIL() << "restored over data";
  } catch (const eb::RestoreError &error) {
    EXPECT_NE(std::string(error.what()).find("not empty"), std::string::npos) << error.what();
  }
  EXPECT_EQ(snapshot(tmp / "live"), before);
}

TEST(RestoreTree, RefusesAnIncompleteSet) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::copy_tree_hashed(source, tmp / "set");  // no manifest
  EXPECT_THROW(eb::restore_tree(tmp / "set", tmp / "restored"), eb::RestoreError);
  EXPECT_FALSE(fs::exists(tmp / "restored"));
}

TEST(RestoreTree, ACorruptedFileStopsTheRestoreAndLeavesNothing) {
  TempDir tmp;
  const auto source = make_sample_tree(tmp / "etcd");
  eb::create_backup_set(source, tmp / "set");
  std::string db = read_file(tmp / "set/member/snap/db");
  db[db.size() / 2] ^= 0x01;
  write_file(tmp / "set/member/snap/db", db, 0600);
  try {
    eb::restore_tree(tmp / "set", tmp / "restored");
    FAIL() << "restored a corrupted set";
  } catch (const eb::RestoreError &error) {
    EXPECT_NE(std::string(error.what()).find("member/snap/db"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(tmp / "restored"));

  fs::create_directories(tmp / "existing");
  EXPECT_THROW(eb::restore_tree(tmp / "set", tmp / "existing"), eb::RestoreError);
  EXPECT_TRUE(fs::is_empty(tmp / "existing"));  // emptied again, kept
}

TEST(KubeadmEtcdBackupName, UsesGoLayoutInLocalTime) {
  std::tm local{};
  local.tm_year = 2025 - 1900;
  local.tm_mon = 0;
  local.tm_mday = 2;
  local.tm_hour = 3;
  local.tm_min = 4;
  local.tm_sec = 5;
  local.tm_isdst = -1;
  const auto when = std::chrono::system_clock::from_time_t(std::mktime(&local));
  EXPECT_EQ(eb::kubeadm_etcd_backup_name(when), "kubeadm-backup-etcd-2025-01-02-03-04-05");
}
