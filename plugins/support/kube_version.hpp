//===- support/kube_version.hpp - Kubernetes and package version strings ---===//
//
// Kubernetes versions as kubeadm spells them ("v1.31.2", "v1.32.0-rc.1") and
// the distro package versions that carry them ("1.31.2-1.1" on deb,
// "1.31.2-150500.1.1" on rpm, pre-releases as "1.32.0~rc.1-1.1").
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_KUBE_VERSION_HPP
#define KUPHOST_PLUGINS_SUPPORT_KUBE_VERSION_HPP

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kuphost_plugins {

struct KubeVersion {
  int major = 0, minor = 0, patch = 0;
  std::string pre;  // "rc.1"; empty for a release

  // Accepts "v1.31.2" and "1.31.2", with an optional "-alpha.N", "-beta.N"
  // or "-rc.N"; nullopt for anything else.
  static std::optional<KubeVersion> parse(std::string_view text) {
    if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
    KubeVersion v;
    int *parts[] = {&v.major, &v.minor, &v.patch};
    for (int i = 0; i < 3; ++i) {
      size_t digits = 0;
      long value = 0;
      while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) && digits < 5) {
        value = value * 10 + (text[digits] - '0');
        ++digits;
      }
      if (digits == 0) return std::nullopt;
      *parts[i] = static_cast<int>(value);
      text.remove_prefix(digits);
      if (i < 2) {
        if (text.empty() || text.front() != '.') return std::nullopt;
        text.remove_prefix(1);
      }
    }
    if (text.empty()) return v;
    if (text.front() != '-') return std::nullopt;
    text.remove_prefix(1);
    for (std::string_view kind : {"alpha.", "beta.", "rc."}) {
      if (text.substr(0, kind.size()) != kind) continue;
      const std::string_view number = text.substr(kind.size());
      if (number.empty() || number.size() > 4) return std::nullopt;
      for (char c : number)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      v.pre = std::string(text);
      return v;
    }
    return std::nullopt;
  }

  // "v1.31.2", "v1.32.0-rc.1"
  std::string str() const { return "v" + bare(); }
  // "1.31.2", "1.32.0-rc.1": the form package versions start with.
  std::string bare() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    return pre.empty() ? s : s + "-" + pre;
  }
  // "v1.31": the pkgs.k8s.io repository of this version.
  std::string minor_str() const { return "v" + std::to_string(major) + "." + std::to_string(minor); }
  // "v1.31.x", for messages that name a minor release line.
  std::string minor_line() const { return minor_str() + ".x"; }

  bool operator==(const KubeVersion &) const = default;

  bool is_prerelease() const { return !pre.empty(); }
  // "rc.1": --allow-release-candidate-upgrades admits these, not alpha/beta.
  bool is_release_candidate() const { return pre.rfind("rc.", 0) == 0; }
  // Minors apart, for skew rules: positive when *this is the newer minor.
  // Only meaningful within one major, which the callers check first.
  int minors_after(const KubeVersion &older) const { return minor - older.minor; }
};

// Orders as semver does for the shapes KubeVersion accepts: a pre-release
// sorts before its release, and alpha < beta < rc, then by number.
inline int compare(const KubeVersion &a, const KubeVersion &b) {
  for (auto [x, y] : {std::pair{a.major, b.major}, std::pair{a.minor, b.minor}, std::pair{a.patch, b.patch}})
    if (x != y) return x < y ? -1 : 1;
  if (a.pre == b.pre) return 0;
  if (a.pre.empty()) return 1;
  if (b.pre.empty()) return -1;
  auto rank = [](const std::string &pre) {
    const int kind = pre.rfind("alpha.", 0) == 0 ? 0 : pre.rfind("beta.", 0) == 0 ? 1 : 2;
    return std::pair{kind, std::stoi(pre.substr(pre.find('.') + 1))};
  };
  const auto ra = rank(a.pre), rb = rank(b.pre);
  return ra == rb ? 0 : ra < rb ? -1 : 1;
}

// The Kubernetes version inside a package version: drops an epoch ("1:") and
// the distro revision after the last '-', and maps the '~' that packages use
// for pre-releases back to '-'. "1.31.2-150500.1.1" -> "1.31.2".
inline std::string upstream_of_package(std::string_view package_version) {
  if (const auto colon = package_version.find(':'); colon != std::string_view::npos)
    package_version.remove_prefix(colon + 1);
  if (const auto dash = package_version.rfind('-'); dash != std::string_view::npos)
    package_version = package_version.substr(0, dash);
  std::string upstream(package_version);
  for (char &c : upstream)
    if (c == '~') c = '-';
  return upstream;
}

// True if the package version ships exactly `target` ("1.31.2-1.1" for v1.31.2).
inline bool package_ships(std::string_view package_version, const KubeVersion &target) {
  return upstream_of_package(package_version) == target.bare();
}

// Orders two package versions with dpkg's algorithm (epoch, then upstream and
// revision compared digit-run by digit-run, '~' sorting before everything).
// rpm's rpmvercmp orders the version shapes pkgs.k8s.io publishes the same
// way. Returns <0, 0 or >0.
inline int compare_package_versions(std::string_view a, std::string_view b) {
  auto order = [](char c) -> int {
    if (std::isdigit(static_cast<unsigned char>(c))) return 0;
    if (std::isalpha(static_cast<unsigned char>(c))) return c;
    if (c == '~') return -1;
    return c ? c + 256 : 0;
  };
  auto verrevcmp = [&](std::string_view x, std::string_view y) {
    size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      int first_diff = 0;
      while ((i < x.size() && !std::isdigit(static_cast<unsigned char>(x[i]))) ||
             (j < y.size() && !std::isdigit(static_cast<unsigned char>(y[j])))) {
        const int ac = i < x.size() ? order(x[i]) : 0;
        const int bc = j < y.size() ? order(y[j]) : 0;
        if (ac != bc) return ac - bc;
        ++i;
        ++j;
      }
      while (i < x.size() && x[i] == '0') ++i;
      while (j < y.size() && y[j] == '0') ++j;
      while (i < x.size() && j < y.size() && std::isdigit(static_cast<unsigned char>(x[i])) &&
             std::isdigit(static_cast<unsigned char>(y[j]))) {
        if (!first_diff) first_diff = x[i] - y[j];
        ++i;
        ++j;
      }
      if (i < x.size() && std::isdigit(static_cast<unsigned char>(x[i]))) return 1;
      if (j < y.size() && std::isdigit(static_cast<unsigned char>(y[j]))) return -1;
      if (first_diff) return first_diff;
    }
    return 0;
  };
  auto split = [](std::string_view v, long *epoch, std::string_view *upstream, std::string_view *revision) {
    *epoch = 0;
    if (const auto colon = v.find(':'); colon != std::string_view::npos) {
      for (char c : v.substr(0, colon))
        if (std::isdigit(static_cast<unsigned char>(c))) *epoch = *epoch * 10 + (c - '0');
      v.remove_prefix(colon + 1);
    }
    const auto dash = v.rfind('-');
    *upstream = v.substr(0, dash);
    *revision = dash == std::string_view::npos ? std::string_view() : v.substr(dash + 1);
  };
  long ea, eb;
  std::string_view ua, ub, ra, rb;
  split(a, &ea, &ua, &ra);
  split(b, &eb, &ub, &rb);
  if (ea != eb) return ea < eb ? -1 : 1;
  if (const int c = verrevcmp(ua, ub)) return c;
  return verrevcmp(ra, rb);
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_KUBE_VERSION_HPP
