// find_real_kubectl: which kubectl binary the sandbox's nodes run.
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "kuphost/sandbox/apiserver.h"
#include "version.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;

constexpr const char *kCloudSdkBin = "/usr/lib/google-cloud-sdk/bin";
constexpr const char *kDebianClient = "/opt/kuphost/kubernetes-client/usr/bin/kubectl";

bool executable(const fs::path &p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// kubectl.1.<minor> files next to the Cloud SDK's dispatcher, nearest minor
// first; on a tie the newer one, as kubectl supports one minor of skew either
// way and newer clients know the older APIs.
std::optional<fs::path> nearest_cloud_sdk_kubectl(int minor) {
  std::optional<fs::path> best;
  int best_distance = INT_MAX, best_minor = -1;
  std::error_code ec;
  for (fs::directory_iterator it(kCloudSdkBin, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with("kubectl.1.")) continue;
    char *tail = nullptr;
    const long m = std::strtol(name.c_str() + 10, &tail, 10);
    if (!tail || *tail != '\0' || m <= 0 || !executable(it->path())) continue;
    const int distance = std::abs(static_cast<int>(m) - minor);
    if (distance < best_distance || (distance == best_distance && m > best_minor)) {
      best = it->path();
      best_distance = distance;
      best_minor = static_cast<int>(m);
    }
  }
  return best;
}

// The Cloud SDK's dispatcher is a symlink into the SDK's bin directory.
bool is_cloud_sdk_dispatcher(const fs::path &p) {
  std::error_code ec;
  const fs::path real = fs::canonical(p, ec);
  return !ec && real.parent_path() == kCloudSdkBin && real.filename() == "kubectl";
}

// A sandbox node's own kubectl (run with the node's PATH): the wrapper that
// is looking for the real one.
bool is_node_simulator(const fs::path &p) {
  std::error_code ec;
  return fs::canonical(p, ec).filename() == "kuphost-node-sim";
}

std::optional<fs::path> kubectl_on_path() {
  const char *path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty()) {
      const fs::path candidate = fs::path(dir) / "kubectl";
      if (executable(candidate) && !is_cloud_sdk_dispatcher(candidate) && !is_node_simulator(candidate))
        return candidate;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<fs::path> find_real_kubectl(const std::string &kubernetes_version, std::string *error) {
  try {
    if (const char *env = std::getenv("KUPHOST_KUBECTL"); env && *env) {
      if (executable(env)) return fs::path(env);
      if (error) *error = std::string("$KUPHOST_KUBECTL is ") + env + ", which is not an executable file";
      return std::nullopt;
    }
    const auto version = detail::KubeVersion::parse(kubernetes_version);
    const int minor = version ? version->minor : 30;
    if (auto p = nearest_cloud_sdk_kubectl(minor)) return p;
    if (auto p = kubectl_on_path()) return p;
    if (executable(kDebianClient)) return fs::path(kDebianClient);
    if (error)
      *error = std::string("no real kubectl found: looked at $KUPHOST_KUBECTL, ") + kCloudSdkBin + "/kubectl.1.*, " +
               "kubectl on PATH (not the Cloud SDK dispatcher) and " + kDebianClient +
               "; run scripts/install-deps.sh or set KUPHOST_KUBECTL";
    return std::nullopt;
  } catch (const std::exception &e) {
    if (error) *error = std::string("cannot look for kubectl: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace kuphost::sandbox
