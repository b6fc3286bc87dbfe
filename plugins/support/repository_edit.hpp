//===- support/repository_edit.hpp - the minor in pkgs.k8s.io repository files
//
// pkgs.k8s.io has one repository per Kubernetes minor, named in the URL
// (".../core:/stable:/v1.30/deb/"). apt keeps one line in a .list file;
// yum/dnf keep baseurl= and gpgkey= in a .repo file. Both edits are the same:
// every active pkgs.k8s.io "core:" URL gets the new minor and the rest of the
// line stays as the operator wrote it. URLs of other pkgs.k8s.io projects
// (the CRI-O "addons:" repositories) are left alone.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_REPOSITORY_EDIT_HPP
#define KUPHOST_PLUGINS_SUPPORT_REPOSITORY_EDIT_HPP

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/text.hpp"

namespace kuphost_plugins {

namespace repository_detail {

constexpr std::string_view kCurrentHosts[] = {"pkgs.k8s.io", "pkgs.kubernetes.io", "packages.kubernetes.io"};
constexpr std::string_view kLegacyHosts[] = {"apt.kubernetes.io", "yum.kubernetes.io",
                                             "packages.cloud.google.com"};

inline bool is_comment(std::string_view line) {
  line = trim(line);
  return !line.empty() && (line.front() == '#' || line.front() == ';');
}

// Length of "vMAJOR.MINOR" at `pos` if it is followed by '/', else 0.
inline size_t minor_length_at(std::string_view line, size_t pos) {
  size_t i = pos;
  if (i >= line.size() || line[i] != 'v') return 0;
  ++i;
  auto digits = [&] {
    const size_t start = i;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    return i > start;
  };
  if (!digits() || i >= line.size() || line[i] != '.') return 0;
  ++i;
  if (!digits() || i >= line.size() || line[i] != '/') return 0;
  return i - pos;
}

// Offsets of the "vX.Y" segments of pkgs.k8s.io core URLs in one line.
inline std::vector<std::pair<size_t, size_t>> core_minor_spans(std::string_view line) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (const auto host : kCurrentHosts) {
    for (size_t at = line.find(host); at != std::string_view::npos; at = line.find(host, at + 1)) {
      // Only the URL that starts at this host, up to the next whitespace.
      size_t end = at;
      while (end < line.size() && !is_space(line[end])) ++end;
      const std::string_view url = line.substr(at, end - at);
      const size_t core = url.find("/core:/");
      if (core == std::string_view::npos) continue;
      for (size_t slash = url.find("/v", core); slash != std::string_view::npos;
           slash = url.find("/v", slash + 1)) {
        if (const size_t len = minor_length_at(url, slash + 1)) {
          spans.emplace_back(at + slash + 1, len);
          break;
        }
      }
    }
  }
  return spans;
}

}  // namespace repository_detail

// The result of pointing a repository file at a minor.
struct RepositoryEdit {
  std::string text;                 // the new content
  std::vector<std::string> minors;  // minors the file named before, unique, in order
  bool changed = false;
};

// Rewrites every active pkgs.k8s.io core URL of `text` to `minor` ("v1.31");
// with an empty `minor` it only inspects. Throws KUP_E_PREREQUISITE_MISSING
// for a legacy repository or a file without a pkgs.k8s.io URL, saying what
// to fix.
inline RepositoryEdit edit_repository(std::string_view text, std::string_view path, std::string_view minor) {
  using namespace repository_detail;
  RepositoryEdit edit;
  size_t urls = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string line(rest.substr(0, nl));
    const std::string_view tail = nl == std::string_view::npos ? std::string_view() : "\n";
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!is_comment(line)) {
      for (const auto legacy : kLegacyHosts)
        if (line.find(legacy) != std::string::npos)
          throw kup::Error(
              KUP_E_PREREQUISITE_MISSING,
              std::string(path) + " uses the legacy repository " + std::string(legacy) +
                  ", which was frozen in September 2023 and removed on 2024-03-04; point it at "
                  "https://pkgs.k8s.io/core:/stable:/<minor>/ as described at "
                  "https://kubernetes.io/blog/2023/08/15/pkgs-k8s-io-introduction/ and run kuphost again",
              line);
      auto spans = core_minor_spans(line);
      std::sort(spans.begin(), spans.end());
      for (const auto &[pos, len] : spans) {
        ++urls;
        const std::string found = line.substr(pos, len);
        if (std::find(edit.minors.begin(), edit.minors.end(), found) == edit.minors.end())
          edit.minors.push_back(found);
      }
      // Right to left, so that the earlier offsets stay valid.
      for (auto it = spans.rbegin(); it != spans.rend() && !minor.empty(); ++it) {
        if (line.compare(it->first, it->second, minor) == 0) continue;
        line.replace(it->first, it->second, minor);
        edit.changed = true;
      }
    }
    edit.text += line;
    edit.text += tail;
  }
  if (urls == 0)
    throw kup::Error(
        KUP_E_PREREQUISITE_MISSING,
        std::string(path) +
            " has no active pkgs.k8s.io core repository URL (https://pkgs.k8s.io/core:/stable:/v1.N/...); "
            "set the repository up as the kubeadm install docs do and run kuphost again");
  return edit;
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_REPOSITORY_EDIT_HPP
