#include "snapshot_status.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

template <class T>
T required(const YAML::Node &doc, const char *field, std::string_view json) {
  const YAML::Node node = doc[field];
  if (!node) throw SnapshotError(std::string("snapshot status: no \"") + field + "\" in " + std::string(json));
  return node.as<T>();
}

}  // namespace

SnapshotStatus parse_snapshot_status_json(std::string_view json) {
  // etcdctl may print more after the object (3.5's deprecation notes go to
  // stderr, but be tolerant of a trailing newline or log line).
  const auto open = json.find('{');
  const auto close = json.find('}', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos)
    throw SnapshotError("snapshot status: expected a JSON object, got: " + std::string(json));
  const std::string_view object = json.substr(open, close - open + 1);
  try {
    const YAML::Node doc = YAML::Load(std::string(object));  // JSON is YAML's flow style
    if (!doc.IsMap()) throw SnapshotError("snapshot status: expected a JSON object, got: " + std::string(object));
    SnapshotStatus status;
    status.hash = required<uint32_t>(doc, "hash", object);
    status.revision = required<int64_t>(doc, "revision", object);
    status.total_keys = required<int64_t>(doc, "totalKey", object);
    status.total_size = required<int64_t>(doc, "totalSize", object);
    if (const YAML::Node version = doc["version"]) status.storage_version = version.as<std::string>();
    return status;
  } catch (const YAML::Exception &e) {
    throw SnapshotError("snapshot status: cannot parse " + std::string(object) + ": " + e.what());
  }
}

std::string describe(const SnapshotStatus &status) {
  char size[32];
  std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(status.total_size) / 1e6);
  std::string out = "revision " + std::to_string(status.revision) + ", " + std::to_string(status.total_keys) +
                    " keys, " + size;
  if (!status.storage_version.empty()) out += ", storage version " + status.storage_version;
  return out;
}

}  // namespace kuphost_plugins::etcd_backup
