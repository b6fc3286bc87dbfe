// Files: an interface so that tests can inject failures, with the real
// implementation writing atomically (temp file, fsync, rename, fsync dir).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kuphost {

struct FileStat {
  enum class Type { kMissing, kRegular, kDirectory, kOther } type = Type::kMissing;
  uint32_t mode = 0;  // permission bits
  uint64_t size = 0;
  uint32_t uid = 0;
};

// Host paths. Every method returns false and sets *error on failure.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual FileStat stat(const std::filesystem::path &path) = 0;
  virtual bool read(const std::filesystem::path &path, std::string *data, std::string *error) = 0;
  // Atomic replace: the file is either the old or the new content after a crash.
  virtual bool write_atomic(const std::filesystem::path &path, const std::string &data,
                            uint32_t mode, std::string *error) = 0;
  virtual bool make_dirs(const std::filesystem::path &path, uint32_t mode, std::string *error) = 0;
  // Sorted entry names.
  virtual bool list(const std::filesystem::path &path, std::vector<std::string> *names,
                    std::string *error) = 0;
  virtual bool rename(const std::filesystem::path &from, const std::filesystem::path &to,
                      std::string *error) = 0;
};

class RealFileSystem : public FileSystem {
 public:
  FileStat stat(const std::filesystem::path &path) override;
  bool read(const std::filesystem::path &path, std::string *data, std::string *error) override;
  bool write_atomic(const std::filesystem::path &path, const std::string &data, uint32_t mode,
                    std::string *error) override;
  bool make_dirs(const std::filesystem::path &path, uint32_t mode, std::string *error) override;
  bool list(const std::filesystem::path &path, std::vector<std::string> *names,
            std::string *error) override;
  bool rename(const std::filesystem::path &from, const std::filesystem::path &to,
              std::string *error) override;
};

// Maps node paths ("/etc/kubernetes/admin.conf") under a root directory.
// Refuses paths that climb out of the root with "..".
class NodeRoot {
 public:
  explicit NodeRoot(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path &root() const { return root_; }
  std::optional<std::filesystem::path> map(std::string_view node_path) const;

 private:
  std::filesystem::path root_;
};

}  // namespace kuphost
