#include "package_sources.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "fs_util.h"

namespace kuphost::sandbox::sim {
namespace {

std::string trim(const std::string &s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

std::string lower(std::string s) {
  for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> words(const std::string &line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<fs::path> files_in(const fs::path &dir, const std::string &extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == extension) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// pkgs.k8s.io and the aliases its docs name (packages.md §1).
bool is_pkgs_host(const std::string &host) {
  return host == "pkgs.k8s.io" || host == "pkgs.kubernetes.io" || host == "packages.kubernetes.io";
}

// The Google-hosted repositories removed on 2024-03-04: now 404.
bool is_legacy_host(const std::string &host) {
  return host == "apt.kubernetes.io" || host == "yum.kubernetes.io" || host == "packages.cloud.google.com";
}

void parse_sources_file(const std::string &text, std::vector<AptSource> *out) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    // Options such as [signed-by=... arch=amd64] are bracketed and may hold spaces.
    if (const auto open = line.find('['); open != std::string::npos) {
      const auto close = line.find(']', open);
      line.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
    }
    const auto w = words(line);
    if (w.size() < 3 || w[0] != "deb") continue;  // deb-src lines fetch no binary packages
    out->push_back({w[1], w[2], std::vector<std::string>(w.begin() + 3, w.end())});
  }
}

}  // namespace

std::string url_host(const std::string &url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/:", start);
  return lower(url.substr(start, end == std::string::npos ? std::string::npos : end - start));
}

RepositoryTarget locate_repository(const std::string &url, const std::string &format,
                                   const detail::PackageUniverse &universe) {
  RepositoryTarget target;
  target.host = url_host(url);
  if (is_legacy_host(target.host)) {
    target.state = RepositoryState::kNotFound;
    return target;
  }
  if (!is_pkgs_host(target.host)) return target;  // unreachable: the sandbox has no network
  target.state = RepositoryState::kNotFound;
  static const std::regex kMinorPath(R"(https?://[^/]+/core:/stable:/(v1\.[0-9]+)/([a-z]+)/?)");
  std::smatch m;
  if (!std::regex_match(url, m, kMinorPath) || m[2] != format) return target;
  target.contents = universe.find(m[1].str());
  if (!target.contents) return target;
  target.state = RepositoryState::kAvailable;
  target.minor = m[1].str();
  return target;
}

std::string AptSource::apt_description() const {
  std::string base = uri;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + " " + (flat() ? "" : suite);
}

std::vector<AptSource> read_apt_sources(const fs::path &root) {
  return read_apt_sources(root / "etc/apt/sources.list", root / "etc/apt/sources.list.d");
}

std::vector<AptSource> read_apt_sources(const fs::path &source_list, const std::optional<fs::path> &source_parts) {
  std::vector<AptSource> sources;
  if (const auto text = detail::read_file_if_exists(source_list)) parse_sources_file(*text, &sources);
  if (source_parts)
    for (const auto &file : files_in(*source_parts, ".list")) parse_sources_file(detail::read_file(file), &sources);
  return sources;
}

std::vector<YumRepo> read_yum_repos(const fs::path &root) {
  std::vector<YumRepo> repos;
  for (const auto &file : files_in(root / "etc/yum.repos.d", ".repo")) {
    std::istringstream in(detail::read_file(file));
    YumRepo *current = nullptr;
    for (std::string line; std::getline(in, line);) {
      line = trim(line);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (line.front() == '[' && line.back() == ']') {
        repos.push_back(YumRepo{});
        current = &repos.back();
        current->id = current->name = trim(line.substr(1, line.size() - 2));
        continue;
      }
      const auto eq = line.find('=');
      if (!current || eq == std::string::npos) continue;
      const std::string key = lower(trim(line.substr(0, eq))), value = trim(line.substr(eq + 1));
      if (key == "name") current->name = value;
      if (key == "baseurl") current->baseurl = words(value).empty() ? "" : words(value).front();
      if (key == "enabled") current->enabled = value == "1" || lower(value) == "true" || lower(value) == "yes";
      if (key == "skip_if_unavailable")
        current->skip_if_unavailable = value == "1" || lower(value) == "true" || lower(value) == "yes";
      if (key == "exclude" || key == "excludepkgs") current->excludes = split_dnf_list(value);
    }
  }
  std::sort(repos.begin(), repos.end(), [](const YumRepo &a, const YumRepo &b) { return a.id < b.id; });
  return repos;
}

std::vector<std::string> split_dnf_list(std::string text) {
  std::replace(text.begin(), text.end(), ',', ' ');
  return words(text);
}

}  // namespace kuphost::sandbox::sim
