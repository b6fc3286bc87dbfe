// `sandbox create --calico operator|manifest`: the cluster as after
// Calico's install docs, its objects stored in objects.yaml and rolled out.
#pragma once

#include <filesystem>
#include <string>

namespace kuphost::sandbox::detail {

// Applies the release's manifests for `method` (operator: the CRDs,
// tigera-operator.yaml and custom-resources.yaml; manifest: calico.yaml) to
// DIR's object store, lets the simulated operator reconcile, and marks every
// rollout finished. Throws std::runtime_error.
void seed_calico(const std::filesystem::path &sandbox_dir, const std::string &method, const std::string &version);

}  // namespace kuphost::sandbox::detail
