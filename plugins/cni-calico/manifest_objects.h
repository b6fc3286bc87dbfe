//===- cni-calico/manifest_objects.h - the objects a manifest names, and their live copies
//
// Before new manifests are applied, kuphost saves the current state of every
// object they name, so that rollback can re-apply it. yaml-cpp reads the
// manifests (multi-document YAML) and kubectl's answers.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_MANIFEST_OBJECTS_H
#define KUPHOST_PLUGINS_CNI_CALICO_MANIFEST_OBJECTS_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::cni_calico {

struct ObjectRef {
  std::string api_version, kind, namespace_, name;
  std::string document;  // the object as the manifest writes it (YAML), for `kubectl get -f -`
  std::string str() const;  // "DaemonSet kube-system/calico-node"
};

// Every object of a multi-document manifest, in order (List kinds opened).
// Throws std::runtime_error naming `source` when the YAML does not parse or
// a document lacks apiVersion, kind or metadata.name.
std::vector<ObjectRef> objects_in_manifest(std::string_view manifest, const std::string &source);

// The objects of kubectl's `-o yaml` answer (one object or a List), without
// what the server owns: status, metadata.uid, resourceVersion,
// creationTimestamp, generation, managedFields, selfLink. Each as a YAML
// document (no "---").
std::vector<std::string> restorable_objects(std::string_view kubectl_yaml);

// Documents joined into one multi-document YAML stream.
std::string yaml_stream(const std::vector<std::string> &documents);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_MANIFEST_OBJECTS_H
