#include "deb_repo.h"

#include <set>
#include <stdexcept>

#include "test_support.h"

namespace fs = std::filesystem;

namespace kuphost::test::deb {
namespace {

ProcessResult must_run(const std::vector<std::string> &argv, const std::vector<std::string> &env = {},
                       const std::string &stdin_data = {}) {
  ProcessResult r = run_process(argv, env, stdin_data);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto &a : argv) cmd += a + " ";
    throw std::runtime_error("command failed (rc=" + std::to_string(r.exit_code) + "): " + cmd + "\n" + r.out +
                             r.err);
  }
  return r;
}

std::string upstream_version(const std::string &version) { return version.substr(0, version.find('-')); }

std::string payload(const DebPackage &p) {
  std::string s = "#!/bin/sh\n# fake " + p.name + " " + p.version + " (kuphost tests)\n";
  if (p.name == "kubeadm") {
    s += "echo \"kubeadm $*\" >> \"${FAKE_KUBEADM_LOG:-/var/log/fake-kubeadm.log}\"\n"
         "if [ \"$1\" = version ] && [ \"$2\" = -o ] && [ \"$3\" = short ]; then\n"
         "  echo v" + upstream_version(p.version) + "\n  exit 0\nfi\n";
  } else {
    s += "echo \"" + p.name + " v" + upstream_version(p.version) + "\"\n";
  }
  return s + "exit 0\n";
}

void build_deb(const DebPackage &p, const fs::path &work, const fs::path &out_dir) {
  const fs::path pkg = work / (p.name + "_" + p.version);
  fs::create_directories(pkg / "DEBIAN");
  fs::create_directories(pkg / "usr/bin");
  std::string control = "Package: " + p.name + "\nVersion: " + p.version +
                        "\nArchitecture: amd64\nMaintainer: kuphost tests <t@example.invalid>\n"
                        "Section: admin\nPriority: optional\nHomepage: https://kubernetes.io\n";
  if (!p.depends.empty()) control += "Depends: " + p.depends + "\n";
  control += "Description: fake " + p.name + " for kuphost tests\n";
  write_file(pkg / "DEBIAN/control", control);
  write_file(pkg / "usr/bin" / p.name, payload(p));
  fs::permissions(pkg / "usr/bin" / p.name, fs::perms(0755), fs::perm_options::replace);
  fs::permissions(pkg, fs::perms(0755), fs::perm_options::replace);
  fs::permissions(pkg / "DEBIAN", fs::perms(0755), fs::perm_options::replace);
  fs::permissions(pkg / "usr", fs::perms(0755), fs::perm_options::replace);
  fs::permissions(pkg / "usr/bin", fs::perms(0755), fs::perm_options::replace);
  fs::permissions(pkg / "DEBIAN/control", fs::perms(0644), fs::perm_options::replace);
  must_run({"dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", pkg.string(),
            (out_dir / (p.name + "_" + p.version + "_amd64.deb")).string()});
}

// Makes a key in `gnupghome` and returns nothing; the key is the only secret key there.
void make_key(const fs::path &gnupghome, const std::string &uid) {
  fs::create_directories(gnupghome);
  fs::permissions(gnupghome, fs::perms(0700), fs::perm_options::replace);
  must_run({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", uid, "ed25519",
            "sign", "never"},
           {"GNUPGHOME=" + gnupghome.string()});
}

void kill_agent(const fs::path &gnupghome) {
  run_process({"gpgconf", "--kill", "all"}, {"GNUPGHOME=" + gnupghome.string()});
}

}  // namespace

std::vector<DebPackage> default_packages() {
  std::vector<DebPackage> out;
  const struct {
    const char *minor, *cni, *cri;
    std::vector<const char *> kube;
  } minors[] = {{"v1.30", "1.4.0", "1.30.1", {"1.30.5"}},
                {"v1.31", "1.5.1", "1.31.1", {"1.31.0", "1.31.2"}},
                {"v1.32", "1.6.0", "1.32.0", {"1.32.0"}}};
  for (const auto &m : minors) {
    const std::string minor = m.minor;
    const std::string mm = minor.substr(1);  // "1.31"
    out.push_back({"kubernetes-cni", std::string(m.cni) + "-1.1", minor, ""});
    out.push_back({"cri-tools", std::string(m.cri) + "-1.1", minor, ""});
    for (const char *v : m.kube) {
      const std::string version = std::string(v) + "-1.1";
      out.push_back({"kubeadm", version, minor, "cri-tools (>= " + mm + ".0)"});
      out.push_back({"kubelet", version, minor, "kubernetes-cni (>= 1.4.0)"});
      out.push_back({"kubectl", version, minor, ""});
    }
  }
  return out;
}

fs::path DebRepo::minor_dir(const std::string &minor) const { return root_ / "core:" / "stable:" / minor / "deb"; }

DebRepo::DebRepo(const fs::path &root, DebRepoOptions options) : root_(root), packages_(default_packages()) {
  const fs::path work = root_.parent_path() / (root_.filename().string() + ".work");
  fs::create_directories(work);
  std::set<std::string> minors;
  for (const auto &p : packages_) {
    fs::create_directories(minor_dir(p.minor));
    build_deb(p, work / "pkgs", minor_dir(p.minor));
    minors.insert(p.minor);
  }
  const fs::path gnupghome = work / "gnupg";
  const fs::path other_home = work / "gnupg-other";
  const std::string env_home = "GNUPGHOME=" + gnupghome.string();
  try {
    make_key(gnupghome, "kuphost test <t@example.invalid>");
    write_file(keyring(), must_run({"gpg", "--batch", "--export"}, {env_home}).out);
    std::string sign_home = env_home;
    if (options.sign_with_other_key) {
      make_key(other_home, "kuphost other key <other@example.invalid>");
      sign_home = "GNUPGHOME=" + other_home.string();
    }
    for (const auto &minor : minors) {
      const fs::path dir = minor_dir(minor);
      auto packages = run_process({"apt-ftparchive", "packages", dir.string()});
      if (packages.exit_code != 0) throw std::runtime_error("apt-ftparchive packages: " + packages.err);
      // Filename: entries must be relative to the repository ("./x.deb").
      std::string text;
      const std::string prefix = "Filename: " + dir.string() + "/";
      size_t pos = 0;
      while (pos < packages.out.size()) {
        size_t nl = packages.out.find('\n', pos);
        if (nl == std::string::npos) nl = packages.out.size();
        std::string line = packages.out.substr(pos, nl - pos);
        if (line.rfind(prefix, 0) == 0) line = "Filename: ./" + line.substr(prefix.size());
        text += line + "\n";
        pos = nl + 1;
      }
      write_file(dir / "Packages", text);
      must_run({"gzip", "-9kf", (dir / "Packages").string()});
      auto release = run_process({"apt-ftparchive", "release", dir.string()});
      if (release.exit_code != 0) throw std::runtime_error("apt-ftparchive release: " + release.err);
      write_file(dir / "Release", release.out);
      must_run({"gpg", "--batch", "--yes", "--clearsign", "-o", (dir / "InRelease").string(), (dir / "Release").string()},
               {sign_home});
      must_run({"gpg", "--batch", "--yes", "-abs", "-o", (dir / "Release.gpg").string(), (dir / "Release").string()},
               {sign_home});
    }
  } catch (...) {
    kill_agent(gnupghome);
    if (options.sign_with_other_key) kill_agent(other_home);
    throw;
  }
  kill_agent(gnupghome);
  if (options.sign_with_other_key) kill_agent(other_home);
  std::error_code ec;
  fs::remove_all(work, ec);
}

}  // namespace kuphost::test::deb
