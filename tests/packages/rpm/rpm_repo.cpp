#include "rpm_repo.h"

#include <set>
#include <stdexcept>

#include "test_support.h"

namespace fs = std::filesystem;

namespace kuphost::test::rpm {
namespace {

std::string spec_for(const RpmPackage &p) {
  std::string body;
  if (p.name == "kubeadm") {
    // Fake kubeadm: logs its arguments, answers `version -o short`.
    body =
        "#!/bin/sh\n"
        "echo \"kubeadm $*\" >> \"${FAKE_KUBEADM_LOG:-/var/log/fake-kubeadm.log}\" 2>/dev/null\n"
        "if [ \"$1\" = version ] && [ \"$2\" = -o ] && [ \"$3\" = short ]; then echo v" +
        p.version + "; exit 0; fi\n"
        "echo \"fake kubeadm " + p.version + "\"\n";
  } else {
    body = "#!/bin/sh\necho \"fake " + p.name + " " + p.version + "\"\n";
  }
  std::string spec = "Name: " + p.name + "\nVersion: " + p.version + "\nRelease: " + kRelease +
                     "\nSummary: fake " + p.name +
                     " for kuphost tests\nLicense: ASL 2.0\nBuildArch: noarch\nAutoReqProv: no\n";
  if (!p.requires_.empty()) spec += "Requires: " + p.requires_ + "\n";
  spec += "\n%description\nFake " + p.name + " for the kuphost test suite.\n\n%install\nmkdir -p %{buildroot}/usr/bin\n" +
          "cat > %{buildroot}/usr/bin/" + p.name + " <<'KUPHOST_EOF'\n" + body + "KUPHOST_EOF\n" +
          "chmod 0755 %{buildroot}/usr/bin/" + p.name + "\n\n%files\n/usr/bin/" + p.name + "\n";
  return spec;
}

void check(const ProcessResult &r, const std::vector<std::string> &argv) {
  if (r.exit_code == 0) return;
  std::string cmd;
  for (const auto &a : argv) cmd += a + " ";
  throw std::runtime_error("command failed (rc=" + std::to_string(r.exit_code) + "): " + cmd + "\n" + r.out + r.err);
}

}  // namespace

std::vector<RpmPackage> default_packages() {
  std::vector<RpmPackage> out;
  const std::vector<std::tuple<std::string, std::string, std::string>> minors{
      {"v1.30", "1.30.1", "1.4.0"}, {"v1.31", "1.31.1", "1.5.1"}};
  for (const auto &[minor, cri, cni] : minors) {
    out.push_back({"cri-tools", cri, minor, ""});
    out.push_back({"kubernetes-cni", cni, minor, ""});
  }
  for (const auto &[version, minor] : std::vector<std::pair<std::string, std::string>>{
           {"1.30.5", "v1.30"}, {"1.31.0", "v1.31"}, {"1.31.2", "v1.31"}}) {
    const std::string mm = minor.substr(1);  // "1.31"
    out.push_back({"kubeadm", version, minor, "cri-tools >= " + mm + ".0"});
    out.push_back({"kubelet", version, minor, "kubernetes-cni >= 1.4.0"});
    out.push_back({"kubectl", version, minor, ""});
  }
  return out;
}

std::vector<std::string> rpm_env(const fs::path &home) { return {"HOME=" + home.string(), "LC_ALL=C.UTF-8"}; }

void make_rpm_home(const fs::path &home) {
  fs::create_directories(home);
  write_file(home / ".rpmmacros", "%_dbpath /var/lib/rpm\n");
}

RpmRepo::RpmRepo(const fs::path &root) : root_(root), home_(root / ".build" / "rpmhome"), packages_(default_packages()) {
  const fs::path build = root_ / ".build";
  // rpmbuild has no --root: /var/lib/rpm would be this machine's database.
  fs::create_directories(home_);
  write_file(home_ / ".rpmmacros", "%_dbpath " + (build / "rpmdb").string() + "\n");
  fs::create_directories(build / "specs");
  const auto env = rpm_env(home_);
  std::set<std::string> minors;
  for (const auto &p : packages_) {
    const fs::path dir = minor_dir(p.minor);
    fs::create_directories(dir);
    minors.insert(p.minor);
    const fs::path spec = build / "specs" / (p.name + "-" + p.version + ".spec");
    write_file(spec, spec_for(p));
    const std::vector<std::string> argv{"rpmbuild",
                                        "--quiet",
                                        "-bb",
                                        spec.string(),
                                        "--define",
                                        "_topdir " + (build / "top").string(),
                                        "--define",
                                        "_build_id_links none",
                                        "--define",
                                        "_binary_payload w2.xzdio",
                                        "--define",
                                        "__os_install_post %{nil}",
                                        "--define",
                                        "_rpmdir " + dir.string(),
                                        "--define",
                                        "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm"};
    check(run_process(argv, env), argv);
  }
  for (const auto &minor : minors) {
    const std::vector<std::string> argv{"createrepo_c", "--quiet", minor_dir(minor).string()};
    check(run_process(argv, env), argv);
  }
}

fs::path RpmRepo::minor_dir(const std::string &minor) const { return root_ / "core:" / "stable:" / minor / "rpm"; }

std::string RpmRepo::baseurl(const std::string &minor) const { return "file://" + minor_dir(minor).string() + "/"; }

}  // namespace kuphost::test::rpm
