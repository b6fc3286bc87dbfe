// kubelet: only `--version` is meaningful outside systemd; the daemon itself
// is simulated by systemctl's kubelet unit.
#include <ostream>

#include "commands.h"
#include "node_state.h"
#include "version.h"

namespace kuphost::sandbox::sim {

int run_kubelet(Invocation &inv) {
  const auto installed = detail::KubeVersion::parse(detail::read_node_state(inv.root).package("kubelet"));
  if (inv.args.size() == 1 && (inv.args[0] == "--version" || inv.args[0] == "--version=true")) {
    inv.out << "Kubernetes " << (installed ? installed->str() : "v0.0.0") << "\n";
    return 0;
  }
  if (inv.args.size() == 1 && inv.args[0] == "--version=raw") {
    inv.out << "version.Info{Major:\"1\", Minor:\"" << (installed ? installed->minor : 0) << "\", GitVersion:\""
            << (installed ? installed->str() : "v0.0.0") << "\"}\n";
    return 0;
  }
  for (const auto &arg : inv.args) {
    if (arg == "-h" || arg == "--help") {
      inv.out << "The kubelet is the primary \"node agent\" that runs on each node.\n\n"
                 "Usage:\n  kubelet [flags]\n\n"
                 "In the kuphost sandbox only --version is simulated; manage the daemon with systemctl.\n";
      return 0;
    }
  }
  inv.err << "E0101 00:00:00.000000       1 run.go:74] \"command failed\" err=\"the kuphost sandbox simulates the "
             "kubelet daemon through `systemctl start kubelet`; run `kubelet --version` for its version\"\n";
  return 1;
}

}  // namespace kuphost::sandbox::sim
