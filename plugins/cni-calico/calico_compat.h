//===- cni-calico/calico_compat.h - which Kubernetes minors a Calico release is tested with
//
// The table of calico.md §2, extendable (or overridden row by row) with the
// config key cni-calico.tested-kubernetes: "3.33=1.35-1.37,3.34=1.36-1.38".
// A refused pair names both ranges and the releases tested with the target.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_COMPAT_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_COMPAT_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/kube_version.hpp"

namespace kuphost_plugins::cni_calico {

struct TestedRange {
  int calico_minor = 0;                     // 3.<calico_minor>
  int lowest = 0, highest = 0;              // Kubernetes 1.<lowest> .. 1.<highest>
  std::string kubernetes() const;           // "v1.31 to v1.35"
  std::string compact() const;              // "v1.31-v1.35"
};

class CompatTable {
 public:
  // calico.md §2 only.
  CompatTable();
  // calico.md §2 plus `extension` (config text; empty = none). Throws
  // kup::Error KUP_E_INVALID_CONFIG naming cni-calico.tested-kubernetes.
  static CompatTable with_extension(std::string_view extension);

  std::optional<TestedRange> range_for(const KubeVersion &calico) const;
  // The rows whose range holds Kubernetes 1.<kube_minor>, oldest first.
  std::vector<TestedRange> tested_with(int kube_minor) const;

  // nullopt when `calico` is tested with `target` (a Kubernetes version);
  // otherwise why not, in one line, naming both ranges and the releases
  // tested with the target.
  struct Untested {
    std::string why;
    bool has_alternatives = false;  // some release in the table is tested with the target
  };
  std::optional<Untested> untested(const KubeVersion &calico, const KubeVersion &target) const;

 private:
  std::vector<TestedRange> rows_;  // sorted by calico_minor
};

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_COMPAT_H
