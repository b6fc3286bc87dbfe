#include "support/version.h"

#include <regex>

namespace kuphost {

std::string Version::str() const {
  std::string s = "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!pre.empty()) s += "-" + pre;
  return s;
}

std::string Version::minor_str() const {
  return "v" + std::to_string(major) + "." + std::to_string(minor);
}

int Version::compare(const Version &o) const {
  if (major != o.major) return major < o.major ? -1 : 1;
  if (minor != o.minor) return minor < o.minor ? -1 : 1;
  if (patch != o.patch) return patch < o.patch ? -1 : 1;
  if (pre == o.pre) return 0;
  if (pre.empty()) return 1;
  if (o.pre.empty()) return -1;
  return pre < o.pre ? -1 : 1;
}

std::optional<Version> parse_version(std::string_view text) {
  static const std::regex re(R"(^v?(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})(?:-((?:alpha|beta|rc)\.(?:0|[1-9][0-9]{0,3})))?$)");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, re)) return std::nullopt;
  Version v;
  v.major = std::stoi(m[1].str());
  v.minor = std::stoi(m[2].str());
  v.patch = std::stoi(m[3].str());
  v.pre = m[4].str();
  return v;
}

std::string version_error(std::string_view text) {
  return "invalid version '" + std::string(text) +
         "': expected vMAJOR.MINOR.PATCH, e.g. v1.31.2 (pre-releases as v1.32.0-rc.1)";
}

std::optional<Version> version_from_image(std::string_view image) {
  const auto colon = image.rfind(':');
  if (colon == std::string_view::npos || image.find('/', colon) != std::string_view::npos)
    return std::nullopt;
  return parse_version(image.substr(colon + 1));
}

}  // namespace kuphost
