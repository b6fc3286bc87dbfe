//===- snapshot/partial_file.h - write FILE.part, rename to FILE when good ---
//
// A backup directory must never hold a half-written snapshot under its final
// name: the bytes go to FILE.part (mode 0600: a snapshot holds every Secret,
// etcd.md §4) and become FILE only after the caller checked them.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_PARTIAL_FILE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_PARTIAL_FILE_H

#include <filesystem>
#include <string_view>

namespace kuphost_plugins::etcd_backup {

class SnapshotPartFile {
 public:
  // Creates (truncates) FINAL.part. Throws SnapshotError.
  explicit SnapshotPartFile(std::filesystem::path final_path);
  ~SnapshotPartFile();  // removes FINAL.part unless committed
  SnapshotPartFile(const SnapshotPartFile &) = delete;
  SnapshotPartFile &operator=(const SnapshotPartFile &) = delete;

  void write(std::string_view bytes);
  // Flushes to disk and closes; the bytes can then be checked at partial_path().
  void close();
  // Renames FINAL.part to FINAL (closing first if needed).
  void commit();

  const std::filesystem::path &partial_path() const { return partial_; }

 private:
  std::filesystem::path final_, partial_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_PARTIAL_FILE_H
