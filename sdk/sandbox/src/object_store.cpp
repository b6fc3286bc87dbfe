#include "object_store.h"

#include <chrono>

#include "fs_util.h"
#include "typed_yaml.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {
namespace {

std::filesystem::path objects_path(const std::filesystem::path &dir) { return dir / "cluster" / "objects.yaml"; }

std::string text_at(const YAML::Node &node, const char *a, const char *b = nullptr) {
  const YAML::Node &n = node;
  if (!n.IsMap() || !n[a]) return "";
  if (!b) return n[a].IsScalar() ? n[a].Scalar() : "";
  const YAML::Node &inner = n[a];
  if (!inner.IsMap() || !inner[b] || !inner[b].IsScalar()) return "";
  return inner[b].Scalar();
}

bool is_workload(const StoredObject &o) {
  return o.group() == "apps" && (o.kind() == "DaemonSet" || o.kind() == "Deployment");
}

std::string rfc3339(int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string uid_of(const std::string &seed) {
  uint64_t a = 14695981039346656037ull, b = 1099511628211ull * 31;
  for (unsigned char c : seed) {
    a = (a ^ c) * 1099511628211ull;
    b = (b ^ c) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-a%03x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(b >> 52), static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

std::string StoredObject::group() const { return group_of(text_at(object, "apiVersion")); }
std::string StoredObject::kind() const { return text_at(object, "kind"); }
std::string StoredObject::ns() const { return text_at(object, "metadata", "namespace"); }
std::string StoredObject::name() const { return text_at(object, "metadata", "name"); }

StoredObject *ObjectStore::find(const std::string &group, const std::string &kind, const std::string &ns,
                                const std::string &name) {
  for (auto &o : objects)
    if (o.kind() == kind && o.name() == name && o.ns() == ns && o.group() == group) return &o;
  return nullptr;
}

const StoredObject *ObjectStore::find(const std::string &group, const std::string &kind, const std::string &ns,
                                      const std::string &name) const {
  return const_cast<ObjectStore *>(this)->find(group, kind, ns, name);
}

std::vector<const StoredObject *> ObjectStore::of_kind(const std::string &group, const std::string &kind,
                                                       const std::string &ns) const {
  std::vector<const StoredObject *> out;
  for (const auto &o : objects)
    if (o.kind() == kind && o.group() == group && (ns.empty() || o.ns() == ns)) out.push_back(&o);
  return out;
}

void ObjectStore::remove(const std::string &group, const std::string &kind, const std::string &ns,
                         const std::string &name) {
  std::erase_if(objects, [&](const StoredObject &o) {
    return o.kind() == kind && o.name() == name && o.ns() == ns && o.group() == group;
  });
}

std::string group_of(const std::string &api_version) {
  const size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ObjectStore read_objects(const std::filesystem::path &sandbox_dir) {
  ObjectStore store;
  const auto text = read_file_if_exists(objects_path(sandbox_dir));
  if (!text) return store;
  const YAML::Node root = load_yaml(*text, "objects.yaml");
  if (!root.IsMap()) return store;
  store.resource_version = root["resourceVersion"].as<int64_t>(1);
  if (const YAML::Node list = root["objects"]; list && list.IsSequence())
    for (const auto &entry : list) {
      StoredObject o;
      o.object.reset(entry["object"]);
      o.rollout_started_ms = entry["rolloutStartedMs"].as<int64_t>(0);
      o.previous_image = entry["previousImage"].as<std::string>("");
      if (o.object && o.object.IsMap()) store.objects.push_back(std::move(o));
    }
  return store;
}

void write_objects(const std::filesystem::path &sandbox_dir, const ObjectStore &store) {
  YAML::Node root(YAML::NodeType::Map);
  root["resourceVersion"] = store.resource_version;
  YAML::Node list(YAML::NodeType::Sequence);
  for (const auto &o : store.objects) {
    YAML::Node entry(YAML::NodeType::Map);
    if (o.rollout_started_ms) entry["rolloutStartedMs"] = o.rollout_started_ms;
    if (!o.previous_image.empty()) entry["previousImage"] = o.previous_image;
    entry["object"] = o.object;
    list.push_back(entry);
  }
  root["objects"] = list;
  write_file_atomic(objects_path(sandbox_dir), emit_typed_yaml(root), 0644);
}

void update_objects(const std::filesystem::path &sandbox_dir, const std::function<bool(ObjectStore &)> &change) {
  FileLock lock(sandbox_dir / "cluster" / "objects.lock");
  ObjectStore store = read_objects(sandbox_dir);
  if (change(store)) write_objects(sandbox_dir, store);
}

StoredObject &store_object(ObjectStore &store, YAML::Node object, int64_t now) {
  // The server's own fields: what the client sent of them is ignored.
  YAML::Node incoming = without_keys(object, {"metadata", "status"});
  incoming["metadata"] = without_keys(object["metadata"], {"uid", "creationTimestamp", "resourceVersion", "generation", "managedFields"});
  StoredObject probe;
  probe.object.reset(incoming);
  StoredObject *old = store.find(probe.group(), probe.kind(), probe.ns(), probe.name());
  if (!old) {
    const int64_t rv = store.next_resource_version();
    incoming["metadata"]["uid"] = uid_of(probe.kind() + "/" + probe.ns() + "/" + probe.name() + "/" + std::to_string(rv));
    incoming["metadata"]["creationTimestamp"] = rfc3339(now);
    incoming["metadata"]["resourceVersion"] = string_node(std::to_string(rv));
    incoming["metadata"]["generation"] = 1;
    probe.object.reset(incoming);
    if (is_workload(probe)) probe.rollout_started_ms = now;
    store.objects.push_back(std::move(probe));
    return store.objects.back();
  }
  const YAML::Node before = old->object;
  for (const char *key : {"uid", "creationTimestamp", "resourceVersion", "generation"})
    if (before["metadata"][key]) incoming["metadata"][key] = YAML::Clone(before["metadata"][key]);
  if (before["status"]) incoming["status"] = YAML::Clone(before["status"]);
  if (same_tree(before, incoming)) return *old;
  if (!same_tree(without_keys(before, {"metadata", "status"}), without_keys(incoming, {"metadata", "status"})))
    incoming["metadata"]["generation"] = before["metadata"]["generation"].as<int64_t>(1) + 1;
  incoming["metadata"]["resourceVersion"] = string_node(std::to_string(store.next_resource_version()));
  const YAML::Node &old_spec = before["spec"];
  const YAML::Node &incoming_view = incoming;  // const indexing never inserts keys
  const YAML::Node &new_spec = incoming_view["spec"];
  const bool template_changed = !(old_spec && new_spec && old_spec.IsMap() && new_spec.IsMap() &&
                                  same_tree(old_spec["template"], new_spec["template"]));
  if (is_workload(*old) && template_changed) old->rollout_started_ms = now;
  old->object.reset(incoming);
  return *old;
}

}  // namespace kuphost::sandbox::detail
