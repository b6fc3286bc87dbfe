// NodeFiles over the host's kuphost.fs/1: node paths mapped under --root or
// the sandbox node, writes atomic with their mode (and copied by the host
// to /var/lib/kuphost/backups/<run>/ first), refused in plan.
#pragma once

#include <kuphost/kuphost.hpp>

#include "renewal/node_files.h"

namespace kuphost_plugins::certs {

class HostFiles final : public NodeFiles {
 public:
  explicit HostFiles(kup::Host host) : host_(host) {}
  std::optional<std::string> read(const std::string &node_path) override {
    if (!host_.stat(node_path).exists()) return std::nullopt;
    return host_.read_file(node_path);
  }
  uint32_t mode(const std::string &node_path) override { return host_.stat(node_path).mode & 07777; }
  void write(const std::string &node_path, const std::string &data, uint32_t mode) override {
    const auto parent = node_path.substr(0, node_path.rfind('/'));
    if (!parent.empty() && !host_.stat(parent).exists()) host_.make_dirs(parent, 0700);
    host_.write_file(node_path, data, mode);
  }

 private:
  kup::Host host_;
};

}  // namespace kuphost_plugins::certs
