#include "calico_seed.h"

#include <stdexcept>

#include "calico_sim.h"
#include "kuphost/sandbox/calico.h"
#include "object_store.h"

namespace kuphost::sandbox::detail {

void seed_calico(const std::filesystem::path &sandbox_dir, const std::string &method, const std::string &version) {
  const auto manifests = calico_manifests(version);
  const auto text_of = [&](const std::string &name) {
    for (const auto &[file, text] : manifests)
      if (file == name) return text;
    return std::string();
  };
  std::vector<std::string> files;
  if (method == "operator")
    files = {"operator-crds.yaml", "v1_crd_projectcalico_org.yaml", "tigera-operator.yaml", "custom-resources.yaml"};
  else if (method == "manifest")
    files = {"calico.yaml"};
  else
    throw std::runtime_error("unknown Calico install method '" + method + "'; use operator or manifest");
  update_objects(sandbox_dir, [&](ObjectStore &store) {
    const int64_t now = now_ms();
    for (const auto &file : files)
      for (const auto &doc : YAML::LoadAll(text_of(file)))
        if (doc.IsMap()) store_object(store, doc, now);
    reconcile_tigera_operator(store, now);
    for (auto &o : store.objects) {
      o.rollout_started_ms = 0;  // rolled out long ago
      o.previous_image.clear();
    }
    return true;
  });
}

}  // namespace kuphost::sandbox::detail
