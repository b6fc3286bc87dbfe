#include "dnf_root.h"

#include <algorithm>
#include <sstream>

#include "rpm_repo.h"

namespace fs = std::filesystem;

namespace kuphost::test::rpm {

DnfRoot::DnfRoot(const fs::path &root, const fs::path &home, const std::string &baseurl) : root_(root), home_(home) {
  fs::create_directories(root_ / "etc/dnf");
  fs::create_directories(root_ / "etc/yum.repos.d");
  write_file(root_ / "etc/dnf/dnf.conf",
             "[main]\n"
             "gpgcheck=0\n"
             "install_weak_deps=False\n"
             "skip_if_unavailable=False\n"
             "keepcache=False\n"
             "metadata_expire=0\n"
             "reposdir=/etc/yum.repos.d\n");
  set_baseurl(baseurl);
}

void DnfRoot::set_baseurl(const std::string &baseurl) {
  write_file(repo_file(),
             "[kubernetes]\n"
             "name=Kubernetes\n"
             "baseurl=" + baseurl + "\n"
             "enabled=1\n"
             "gpgcheck=0\n"
             "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n");
}

ProcessResult DnfRoot::dnf(const std::vector<std::string> &args, bool quiet) const {
  std::vector<std::string> argv{"dnf", "--installroot=" + root_.string(), "--releasever=9"};
  if (quiet) argv.push_back("-q");
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, rpm_env(home_));
}

ProcessResult DnfRoot::rpm(const std::vector<std::string> &args) const {
  std::vector<std::string> argv{"rpm", "--root=" + root_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, rpm_env(home_));
}

std::vector<std::string> DnfRoot::installed() const {
  auto lines = lines_of(rpm({"-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n"}).out);
  std::sort(lines.begin(), lines.end());
  return lines;
}

ProcessResult DnfRoot::run_payload(const std::string &name, const std::vector<std::string> &args) const {
  std::vector<std::string> argv{(root_ / "usr/bin" / name).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {"FAKE_KUBEADM_LOG=" + (root_ / "fake-kubeadm.log").string()});
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace kuphost::test::rpm
