// The node's files as renewal needs them, by node path
// ("/etc/kubernetes/pki/apiserver.crt"). The plugin implements it over the
// host's kuphost.fs/1 (which maps node paths, honours dry-run and keeps its
// own copies); tests use RootedFiles on a temporary node root.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kuphost_plugins::certs {

class NodeFiles {
 public:
  virtual ~NodeFiles() = default;
  // The whole file; nullopt when it does not exist. Throws on other errors.
  virtual std::optional<std::string> read(const std::string &node_path) = 0;
  // Permission bits; 0 when the file does not exist.
  virtual uint32_t mode(const std::string &node_path) = 0;
  // Replaces the file atomically (temporary file created with `mode`, fsync,
  // rename), creating missing parent directories 0700. Throws on failure.
  virtual void write(const std::string &node_path, const std::string &data, uint32_t mode) = 0;
};

// Files under a directory that stands for the node's "/".
class RootedFiles final : public NodeFiles {
 public:
  explicit RootedFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::optional<std::string> read(const std::string &node_path) override;
  uint32_t mode(const std::string &node_path) override;
  void write(const std::string &node_path, const std::string &data, uint32_t mode) override;

 private:
  std::filesystem::path map(const std::string &node_path) const;
  std::filesystem::path root_;
};

}  // namespace kuphost_plugins::certs
