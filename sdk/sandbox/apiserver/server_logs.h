// The server's records, for tests to assert against: the audit log (one
// JSON line per request) and the cordon history (one JSON line per change of
// a node's spec.unschedulable). Appended in single writes, so lines from
// concurrent connections never interleave.
#pragma once

#include <filesystem>
#include <string>

#include "api_types.h"

namespace kuphost::sandbox::apiserver {

class ServerLogs {
 public:
  explicit ServerLogs(const std::filesystem::path &sandbox_dir);

  void request(const Request &req, int code);
  void cordon(const std::string &node, bool cordoned, const std::string &user);

 private:
  std::filesystem::path audit_, cordons_;
};

// Kubernetes' verb for a request: get, list, create, update, patch, delete.
std::string verb_of(const Request &req);

}  // namespace kuphost::sandbox::apiserver
