#include "version.h"

#include <array>
#include <charconv>
#include <tuple>
#include <utility>
#include <vector>

namespace kuphost::sandbox::detail {
namespace {

std::optional<int> parse_number(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct MinorEntry {
  int minor;
  const char *etcd, *coredns, *pause;
  const char *cri_tools, *kubernetes_cni;  // what that minor's pkgs.k8s.io repository ships
};

// From kubeadm's constants.go at the patch releases current in late 2024;
// the real table moves with kubeadm patch releases (etcd.md §5). The
// cri-tools / kubernetes-cni columns for 1.30-1.32 are test-recipes.md §1.0's.
constexpr std::array kMinorTable{
    MinorEntry{28, "3.5.15-0", "v1.10.1", "3.9", "1.28.0", "1.2.0"},
    MinorEntry{29, "3.5.15-0", "v1.11.1", "3.9", "1.29.0", "1.3.0"},
    MinorEntry{30, "3.5.15-0", "v1.11.1", "3.9", "1.30.1", "1.4.0"},
    MinorEntry{31, "3.5.15-0", "v1.11.3", "3.10", "1.31.1", "1.5.1"},
    MinorEntry{32, "3.5.16-0", "v1.11.3", "3.10", "1.32.0", "1.6.0"},
    MinorEntry{33, "3.5.21-0", "v1.12.0", "3.10", "1.33.0", "1.6.0"},
    MinorEntry{34, "3.6.4-0", "v1.12.1", "3.10.1", "1.34.0", "1.7.1"},
};

bool in_table(const KubeVersion &v) {
  for (const auto &e : kMinorTable)
    if (e.minor == v.minor) return true;
  return false;
}

const MinorEntry &entry_for(const KubeVersion &v) {
  if (v.minor <= kMinorTable.front().minor) return kMinorTable.front();
  for (const auto &e : kMinorTable)
    if (e.minor == v.minor) return e;
  return kMinorTable.back();
}

std::vector<int> numbers_of(std::string_view tag) {
  std::vector<int> out;
  int current = 0;
  bool any = false;
  for (char c : tag) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      any = true;
    } else if (any) {
      out.push_back(current);
      current = 0;
      any = false;
    }
  }
  if (any) out.push_back(current);
  return out;
}

}  // namespace

std::optional<KubeVersion> KubeVersion::parse(std::string_view text) {
  if (!text.empty() && text[0] == 'v') text.remove_prefix(1);
  KubeVersion v;
  const auto dash = text.find('-');
  if (dash != std::string_view::npos) {
    v.pre_release = std::string(text.substr(dash + 1));
    if (v.pre_release.empty()) return std::nullopt;
    text = text.substr(0, dash);
  }
  std::array<int *, 3> parts{&v.major, &v.minor, &v.patch};
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto dot = text.find('.');
    const bool last = i + 1 == parts.size();
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    const auto number = parse_number(text.substr(0, dot));
    if (!number) return std::nullopt;
    *parts[i] = *number;
    text = last ? std::string_view() : text.substr(dot + 1);
  }
  return v;
}

std::string KubeVersion::str() const { return "v" + plain(); }

std::string KubeVersion::plain() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!pre_release.empty()) s += "-" + pre_release;
  return s;
}

std::string KubeVersion::minor_str() const { return "v" + std::to_string(major) + "." + std::to_string(minor); }

std::strong_ordering KubeVersion::operator<=>(const KubeVersion &other) const {
  if (auto c = std::tie(major, minor, patch) <=> std::tie(other.major, other.minor, other.patch); c != 0) return c;
  if (pre_release == other.pre_release) return std::strong_ordering::equal;
  if (pre_release.empty()) return std::strong_ordering::greater;
  if (other.pre_release.empty()) return std::strong_ordering::less;
  return pre_release <=> other.pre_release;
}

std::string etcd_image_tag_for(const KubeVersion &v) { return entry_for(v).etcd; }
std::string coredns_version_for(const KubeVersion &v) { return entry_for(v).coredns; }
std::string pause_image_for(const KubeVersion &v) { return entry_for(v).pause; }

// cri-tools follows the Kubernetes minor; outside the table its first release is the best guess.
std::string cri_tools_version_for(const KubeVersion &v) {
  if (in_table(v)) return entry_for(v).cri_tools;
  return std::to_string(v.major) + "." + std::to_string(v.minor) + ".0";
}

std::string kubernetes_cni_version_for(const KubeVersion &v) { return entry_for(v).kubernetes_cni; }

int compare_etcd_tags(std::string_view a, std::string_view b) {
  const auto x = numbers_of(a), y = numbers_of(b);
  if (x < y) return -1;
  return x == y ? 0 : 1;
}

}  // namespace kuphost::sandbox::detail
