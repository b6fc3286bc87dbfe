#include "apt_output.h"

#include <cstdio>

namespace kuphost::sandbox::sim {

std::string apt_size(double bytes) {
  static const char *const kUnits[] = {"", "k", "M", "G", "T"};
  char buf[32];
  for (const char *unit : kUnits) {
    if (bytes < 100 && *unit) {
      std::snprintf(buf, sizeof buf, "%.1f %s", bytes, unit);
      return buf;
    }
    if (bytes < 10000) {
      std::snprintf(buf, sizeof buf, "%.0f %s", bytes, unit);
      return buf;
    }
    bytes /= 1000.0;
  }
  std::snprintf(buf, sizeof buf, "%.0f P", bytes);
  return buf;
}

std::string apt_fetch_description(const AptSource &source) {
  AptSource fetched = source;
  const std::string host = url_host(source.uri);
  const auto path_start = source.uri.find('/', source.uri.find("://") + 3);
  const std::string path = path_start == std::string::npos ? "/" : source.uri.substr(path_start);
  if (host == "pkgs.k8s.io") fetched.uri = "https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:" + path;
  if (host == "apt.kubernetes.io") fetched.uri = "https://packages.cloud.google.com/apt" + path;
  return fetched.apt_description();
}

std::string apt_version_line(const std::string &distro) {
  return distro == "debian-12" ? "apt 2.6.1 (amd64)" : "apt 2.7.14 (amd64)";
}

void print_reading_state(std::ostream &out) {
  out << "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";
}

}  // namespace kuphost::sandbox::sim
