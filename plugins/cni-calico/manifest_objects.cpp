#include "manifest_objects.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

namespace kuphost_plugins::cni_calico {
namespace {

std::string text_of(const YAML::Node &node) {
  return node && node.IsScalar() ? node.as<std::string>() : std::string();
}

std::string emit(const YAML::Node &node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

void add_objects(const YAML::Node &doc, const std::string &source, std::vector<ObjectRef> &out) {
  if (!doc || doc.IsNull()) return;  // empty documents between "---"
  if (!doc.IsMap()) throw std::runtime_error(source + " has a document that is not a Kubernetes object");
  const std::string kind = text_of(doc["kind"]);
  if (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && doc["items"]) {
    for (const auto &item : doc["items"]) add_objects(item, source, out);
    return;
  }
  ObjectRef ref{text_of(doc["apiVersion"]), kind, text_of(doc["metadata"]["namespace"]),
                text_of(doc["metadata"]["name"]), emit(doc)};
  if (ref.api_version.empty() || ref.kind.empty() || ref.name.empty())
    throw std::runtime_error(source + " has an object without apiVersion, kind or metadata.name");
  out.push_back(std::move(ref));
}

}  // namespace

std::string ObjectRef::str() const { return kind + " " + (namespace_.empty() ? name : namespace_ + "/" + name); }

std::vector<ObjectRef> objects_in_manifest(std::string_view manifest, const std::string &source) {
  std::vector<ObjectRef> out;
  try {
    for (const auto &doc : YAML::LoadAll(std::string(manifest))) add_objects(doc, source, out);
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(source + " is not valid YAML: " + e.what());
  }
  return out;
}

std::vector<std::string> restorable_objects(std::string_view kubectl_yaml) {
  std::vector<std::string> out;
  YAML::Node answer;
  try {
    answer = YAML::Load(std::string(kubectl_yaml));
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(std::string("kubectl's answer is not YAML: ") + e.what());
  }
  if (!answer || !answer.IsMap()) return out;
  std::vector<YAML::Node> objects;
  if (answer["kind"] && text_of(answer["kind"]) == "List") {
    for (const auto &item : answer["items"]) objects.push_back(item);
  } else {
    objects.push_back(answer);
  }
  for (auto object : objects) {
    object.remove("status");
    if (YAML::Node meta = object["metadata"]; meta && meta.IsMap())
      for (const char *key : {"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"})
        meta.remove(key);
    out.push_back(emit(object));
  }
  return out;
}

std::string yaml_stream(const std::vector<std::string> &documents) {
  std::string out;
  for (const auto &doc : documents) out += "---\n" + doc;
  return out;
}

}  // namespace kuphost_plugins::cni_calico
