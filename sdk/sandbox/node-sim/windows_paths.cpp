#include "windows_paths.h"

#include <cctype>

#include "node_state.h"

namespace kuphost::sandbox::sim {

std::optional<fs::path> windows_host_path(const fs::path &root, std::string_view path, std::string *error) {
  std::string_view p = path;
  if (p.size() >= 3 && p[0] == '/' && p[2] == ':') p.remove_prefix(1);  // scp's /C:/k/...
  const bool drive = p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' &&
                     (p.size() == 2 || p[2] == '\\' || p[2] == '/');
  if (!drive) {
    *error = "the sandbox's Windows node needs an absolute path with a drive (C:\\...), not '" + std::string(path) + "'";
    return std::nullopt;
  }
  fs::path out = root / std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(p[0]))));
  std::string part;
  const auto flush = [&]() -> bool {
    if (part == "..") return false;
    if (!part.empty() && part != ".") out /= part;
    part.clear();
    return true;
  };
  for (size_t i = 2; i <= p.size(); ++i) {
    if (i == p.size() || p[i] == '\\' || p[i] == '/') {
      if (!flush()) {
        *error = "the sandbox's Windows node does not follow '..' in paths: '" + std::string(path) + "'";
        return std::nullopt;
      }
    } else {
      part += p[i];
    }
  }
  return out;
}

bool windows_file_in_use(const Invocation &inv, const fs::path &host) {
  const auto node = detail::read_node_state(inv.root);
  for (const char *service : {"kubelet", "kube-proxy"}) {
    const auto unit = node.units.find(service);
    if (unit == node.units.end() || unit->second.state != "active") continue;
    const fs::path exe = inv.root / "C/k" / (std::string(service) + ".exe");
    const auto rel = exe.lexically_relative(host.lexically_normal());
    if (!rel.empty() && !rel.string().starts_with("..")) return true;
  }
  return false;
}

}  // namespace kuphost::sandbox::sim
