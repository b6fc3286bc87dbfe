#include "package_root_view.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "test_support.h"

namespace kuphost::test {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> words(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

ProcessResult must(const std::vector<std::string> &argv, const std::vector<std::string> &env = {}) {
  ProcessResult r = run_process(argv, env);
  if (r.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + r.err + r.out);
  return r;
}

}  // namespace

PackageRootView::PackageRootView(fs::path root, std::string family) : root_(std::move(root)), family_(std::move(family)) {}

std::map<std::string, std::string> PackageRootView::installed() const {
  std::map<std::string, std::string> out;
  const std::string text =
      family_ == "debian"
          ? must({"dpkg-query", "--admindir=" + (root_ / "var/lib/dpkg").string(), "-W",
                  "-f=${Package} ${Version}\\n"})
                .out
          : must({"rpm", "--root=" + root_.string(), "--dbpath=/var/lib/rpm", "-qa", "--qf",
                  "%{NAME} %{VERSION}-%{RELEASE}\\n"},
                 {"HOME=" + (root_.parent_path() / "rpm-home").string()})
                .out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto w = words(line);
    if (w.size() == 2 && w[0] != "gpg-pubkey") out[w[0]] = w[1];
  }
  return out;
}

std::vector<std::string> PackageRootView::held() const {
  std::vector<std::string> out;
  if (family_ == "debian") {
    out = words(must({"apt-mark", "showhold"}, {"APT_CONFIG=" + (root_.parent_path() / "apt.conf").string()}).out);
  } else {
    std::istringstream in(read_file(repository_file()));
    for (std::string line; std::getline(in, line);)
      if (line.rfind("exclude=", 0) == 0)
        for (const auto &w : words(line.substr(8))) out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path PackageRootView::repository_file() const {
  return root_ / (family_ == "debian" ? "etc/apt/sources.list.d/kubernetes.list" : "etc/yum.repos.d/kubernetes.repo");
}

std::string PackageRootView::package_version(const std::string &upstream) const {
  return upstream + (family_ == "debian" ? "-1.1" : "-150500.1.1");
}

namespace {
const char *const kHostFiles[] = {"/var/lib/dpkg/status", "/var/lib/dpkg/available", "/var/lib/apt/extended_states",
                                  "/var/lib/rpm/rpmdb.sqlite", "/root/.rpmdb/rpmdb.sqlite"};
const char *const kHostDirs[] = {"/etc/apt", "/var/lib/dpkg", "/var/lib/apt", "/var/cache/apt",
                                 "/var/lib/rpm", "/root/.rpmdb", "/var/cache/dnf", "/etc/yum.repos.d"};
}  // namespace

std::map<std::string, std::string> host_package_state_digest() {
  return file_digests({std::begin(kHostFiles), std::end(kHostFiles)});
}

std::vector<std::string> host_package_paths_newer_than(const fs::file_time_type &since) {
  return paths_modified_since({std::begin(kHostDirs), std::end(kHostDirs)}, since);
}

}  // namespace kuphost::test
