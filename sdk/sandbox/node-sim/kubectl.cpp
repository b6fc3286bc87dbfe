// kubectl: parses the global flags, checks --kubeconfig, and dispatches.
#include "kubectl.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "commands.h"
#include "json_writer.h"
#include "kubectl_printers.h"
#include "node_state.h"
#include "version.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr const char *kKustomizeVersion = "v5.0.4-0.20230601165947-6ce0bf390ce3";

std::vector<FlagSpec> subcommand_flags(const std::string &sub) {
  std::vector<FlagSpec> specs = kubectl_global_flags();
  auto add = [&](std::vector<FlagSpec> more) { specs.insert(specs.end(), more.begin(), more.end()); };
  if (sub == "get") {
    add(kubectl_printer_flags());
    add({{"all-namespaces", 'A'}, {"field-selector", 0, true}, {"selector", 'l', true}, {"no-headers"},
         {"show-labels"}, {"watch", 'w'}, {"chunk-size", 0, true}});
  }
  if (sub == "version") add({{"client"}, {"output", 'o', true}});
  if (sub == "cordon" || sub == "uncordon") add({{"dry-run"}, {"selector", 'l', true}});
  if (sub == "drain")
    add({{"ignore-daemonsets"}, {"delete-emptydir-data"}, {"delete-local-data"}, {"force"}, {"timeout", 0, true},
         {"grace-period", 0, true}, {"disable-eviction"}, {"pod-selector", 0, true}, {"selector", 'l', true},
         {"skip-wait-for-delete-timeout", 0, true}, {"dry-run"}, {"chunk-size", 0, true}, {"ignore-errors"}});
  return specs;
}

// The first argument that is neither a global flag nor its value.
std::string find_subcommand(const std::vector<std::string> &args, size_t *index) {
  const auto globals = kubectl_global_flags();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a.empty() || a[0] != '-') {
      *index = i;
      return a;
    }
    if (a.find('=') != std::string::npos) continue;
    for (const auto &g : globals) {
      const bool long_match = a == "--" + g.name;
      const bool short_match = g.shorthand && a == std::string("-") + g.shorthand;
      if ((long_match || short_match) && g.takes_value) ++i;
    }
  }
  return {};
}

// kubectl refuses an explicit kubeconfig that does not exist. Node paths
// (/etc/kubernetes/admin.conf) are looked up in the node's root.
bool check_kubeconfig(Invocation &inv, const ParsedFlags &flags) {
  const std::string path = flags.get("kubeconfig");
  if (path.empty()) return true;
  if (fs::exists(path) || fs::exists(inv.host_path(path))) return true;
  kubectl_fail(inv, "stat " + path + ": no such file or directory");
  return false;
}

Json version_json(const detail::KubeVersion &v) {
  Json j = Json::object();
  j.set("major", std::to_string(v.major));
  j.set("minor", std::to_string(v.minor));
  j.set("gitVersion", v.str());
  j.set("gitCommit", detail::pod_suffix(v.str(), 40));
  j.set("gitTreeState", "clean");
  j.set("buildDate", "2024-09-11T21:22:08Z");
  j.set("goVersion", v.minor >= 32 ? "go1.23.4" : (v.minor == 31 ? "go1.22.8" : "go1.22.6"));
  j.set("compiler", "gc");
  j.set("platform", "linux/amd64");
  return j;
}

int kubectl_version(Invocation &inv, const ParsedFlags &flags) {
  const auto client = detail::KubeVersion::parse(detail::read_node_state(inv.root).package("kubectl"));
  if (!client) return kubectl_fail(inv, "the kubectl package version in node.yaml is not a version");
  const bool client_only = flags.has("client");
  std::optional<detail::KubeVersion> server;
  if (!client_only) server = detail::KubeVersion::parse(detail::read_cluster(inv.sandbox_dir).kubernetes_version);
  const std::string output = flags.get("output");
  if (output == "json" || output == "yaml") {
    Json j = Json::object();
    j.set("clientVersion", version_json(*client));
    j.set("kustomizeVersion", kKustomizeVersion);
    if (server) j.set("serverVersion", version_json(*server));
    if (output == "json") {
      inv.out << j.dump(2) << "\n";
    } else {
      // JSON is YAML: let yaml-cpp re-emit it in block style.
      inv.out << detail::emit_yaml(YAML::Load(j.dump(2)));
    }
    return 0;
  }
  if (!output.empty()) return kubectl_fail(inv, "--output must be 'yaml' or 'json'");
  inv.out << "Client Version: " << client->str() << "\nKustomize Version: " << kKustomizeVersion << "\n";
  if (server) {
    inv.out << "Server Version: " << server->str() << "\n";
    if (std::abs(server->minor - client->minor) > 1)
      inv.err << "WARNING: version difference between client (" << client->major << "." << client->minor
              << ") and server (" << server->major << "." << server->minor
              << ") exceeds the supported minor version skew of +/-1\n";
  }
  return 0;
}

}  // namespace

std::vector<FlagSpec> kubectl_global_flags() {
  return {{"kubeconfig", 0, true}, {"context", 0, true},   {"cluster", 0, true}, {"user", 0, true},
          {"request-timeout", 0, true}, {"namespace", 'n', true}, {"v", 'v', true}, {"server", 's', true},
          {"cache-dir", 0, true}, {"insecure-skip-tls-verify"}};
}

int kubectl_fail(Invocation &inv, const std::string &message) {
  inv.err << "error: " << message << "\n";
  return 1;
}

int node_not_found(Invocation &inv, const std::string &name) {
  inv.err << "Error from server (NotFound): nodes \"" << name << "\" not found\n";
  return 1;
}

void print_table(std::ostream &out, const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths;
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] + 3 - row[c].size(), ' ');
    }
    out << line << "\n";
  }
}

std::string human_duration(long seconds) {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return std::to_string(seconds) + "s";
  const long minutes = seconds / 60;
  if (minutes < 10) {
    const long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s ? std::to_string(s) + "s" : "");
  }
  if (minutes < 180) return std::to_string(minutes) + "m";
  const long hours = seconds / 3600;
  if (hours < 8) {
    const long m = minutes % 60;
    return std::to_string(hours) + "h" + (m ? std::to_string(m) + "m" : "");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    const long h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h ? std::to_string(h) + "h" : "");
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long d = (hours / 24) % 365;
    return std::to_string(hours / 24 / 365) + "y" + (d ? std::to_string(d) + "d" : "");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

long seconds_since(const std::string &rfc3339) {
  std::tm tm{};
  if (!strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
  return static_cast<long>(std::time(nullptr) - timegm(&tm));
}

int run_kubectl(Invocation &inv) {
  size_t index = 0;
  const std::string sub = find_subcommand(inv.args, &index);
  if (sub.empty()) {
    inv.out << "kubectl controls the Kubernetes cluster manager.\n\n"
               "The kuphost sandbox simulates: get, cordon, uncordon, drain, version.\n";
    return 0;
  }
  static const std::vector<std::string> kKnown{"get", "cordon", "uncordon", "drain", "version"};
  if (std::find(kKnown.begin(), kKnown.end(), sub) == kKnown.end()) {
    inv.err << "error: unknown command \"" << sub << "\" for \"kubectl\"\n";
    return 1;
  }
  std::vector<std::string> rest = inv.args;
  rest.erase(rest.begin() + static_cast<long>(index));
  std::string error;
  const auto flags = parse_flags(rest, subcommand_flags(sub), &error);
  if (!flags) {
    inv.err << "error: " << error << "\nSee 'kubectl " << sub << " --help' for usage.\n";
    return 1;
  }
  if (!check_kubeconfig(inv, *flags)) return 1;
  if (sub == "version") return kubectl_version(inv, *flags);
  if (sub == "get") return kubectl_get(inv, *flags);
  if (sub == "drain") return kubectl_drain(inv, *flags);
  return kubectl_cordon(inv, *flags, sub == "cordon");
}

}  // namespace kuphost::sandbox::sim
