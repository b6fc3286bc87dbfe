#include "local_mirror.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "fs_util.h"
#include "tool_process.h"

namespace kuphost::sandbox::detail {
namespace {

namespace fs = std::filesystem;

const char *const kSigner = "kuphost sandbox pkgs.k8s.io <sandbox@example.invalid>";

// A temporary GNUPGHOME with one signing key; the agent is stopped and the
// directory removed on destruction. Short /tmp path: gpg-agent's socket path
// has a length limit.
class SigningKey {
 public:
  SigningKey() {
    std::string pattern = "/tmp/kuphost-gpg-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    home_ = pattern;
    must_run_tool({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", kSigner,
                   "ed25519", "sign", "never"},
                  env());
  }
  ~SigningKey() {
    run_tool({"gpgconf", "--kill", "all"}, env());
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }
  SigningKey(const SigningKey &) = delete;
  SigningKey &operator=(const SigningKey &) = delete;

  std::vector<std::string> env() const { return {"GNUPGHOME=" + home_.string()}; }

 private:
  fs::path home_;
};

fs::path minor_dir(const fs::path &mirror, const std::string &minor, const char *format) {
  return mirror / "core:" / "stable:" / minor / format;
}

// What every package installs: its version stamp, and for kubeadm, kubelet
// and kubectl the command itself (a link to the simulator); cri-tools gets a
// crictl that prints its version.
struct Payload {
  std::string name, version;
  bool links_simulator() const { return name == "kubeadm" || name == "kubelet" || name == "kubectl"; }
};

void write_payload(const fs::path &dir, const Payload &p, const fs::path &node_sim) {
  write_file(dir / "usr/share/kuphost-sandbox/packages" / p.name, p.version + "\n", 0644);
  if (p.links_simulator()) {
    make_dirs(dir / "usr/bin", 0755);
    fs::create_symlink(node_sim, dir / "usr/bin" / p.name);
  } else if (p.name == "cri-tools") {
    write_file(dir / "usr/bin/crictl", "#!/bin/sh\necho \"crictl version v" + p.version + "\"\n", 0755);
  }
}

std::string deb_depends(const UniversePackage &package) {
  std::string out;
  for (const auto &[name, minimum] : package.depends) out += (out.empty() ? "" : ", ") + name + " (>= " + minimum + ")";
  return out;
}

void build_deb(const fs::path &work, const fs::path &out_dir, const Payload &p, const std::string &revision,
               const std::string &depends, const fs::path &node_sim) {
  const std::string version = p.version + "-" + revision;
  const fs::path pkg = work / (p.name + "_" + version);
  make_dirs(pkg / "DEBIAN", 0755);
  std::string control = "Package: " + p.name + "\nVersion: " + version +
                        "\nArchitecture: amd64\nMaintainer: kuphost sandbox <sandbox@example.invalid>\n"
                        "Section: admin\nPriority: optional\nHomepage: https://kubernetes.io\n";
  if (!depends.empty()) control += "Depends: " + depends + "\n";
  control += "Description: " + p.name + " for the kuphost sandbox (the simulator behind a real package)\n";
  write_file(pkg / "DEBIAN/control", control, 0644);
  write_payload(pkg, p, node_sim);
  must_run_tool({"dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", pkg.string(),
                 (out_dir / (p.name + "_" + version + "_amd64.deb")).string()});
}

void sign_deb_repository(const fs::path &dir, const SigningKey &key) {
  // Run inside the repository so that Filename: entries are relative ("./x.deb").
  write_file(dir / "Packages", must_run_tool({"apt-ftparchive", "packages", "."}, {}, dir).out, 0644);
  must_run_tool({"gzip", "-9kf", "Packages"}, {}, dir);
  write_file(dir / "Release", must_run_tool({"apt-ftparchive", "release", "."}, {}, dir).out, 0644);
  must_run_tool({"gpg", "--batch", "--yes", "--clearsign", "-o", "InRelease", "Release"}, key.env(), dir);
  must_run_tool({"gpg", "--batch", "--yes", "-abs", "-o", "Release.gpg", "Release"}, key.env(), dir);
}

void build_deb_mirror(const fs::path &mirror, const fs::path &work, const LocalMirrorParams &p,
                      const SigningKey &key) {
  for (const auto &[minor, repository] : p.universe->repositories) {
    const fs::path dir = minor_dir(mirror, minor, "deb");
    make_dirs(dir, 0755);
    for (const auto &[name, package] : repository.packages)
      for (const auto &version : package.versions)
        build_deb(work / "deb", dir, {name, version}, p.universe->deb_revision, deb_depends(package), p.node_sim);
    sign_deb_repository(dir, key);
    fs::copy_file(mirror_public_key(mirror), dir / "Release.key");
  }
}

// One spec per version: kubeadm, kubelet and kubectl of a patch release are
// subpackages of one build (they share version and release); cri-tools and
// kubernetes-cni are built alone.
std::string rpm_spec(const std::vector<Payload> &payloads, const std::string &release,
                     const std::map<std::string, const UniversePackage *> &packages, const fs::path &node_sim) {
  const std::string version = payloads.front().version;
  std::string spec = "Name: kuphost-sandbox-build\nVersion: " + version + "\nRelease: " + release +
                     "\nSummary: kuphost sandbox packages\nLicense: Apache-2.0\nBuildArch: noarch\n"
                     "AutoReqProv: no\n%description\nkuphost sandbox packages.\n";
  std::string install = "%install\n", files;
  for (const auto &p : payloads) {
    // AutoReqProv per package: crictl's shebang would require /bin/sh, which
    // the empty root does not provide.
    spec += "%package -n " + p.name + "\nSummary: " + p.name + " for the kuphost sandbox\nAutoReqProv: no\n";
    for (const auto &[dep, minimum] : packages.at(p.name)->depends) spec += "Requires: " + dep + " >= " + minimum + "\n";
    spec += "%description -n " + p.name + "\n" + p.name + " for the kuphost sandbox (the simulator behind a real package).\n";
    const std::string stamp = "/usr/share/kuphost-sandbox/packages/" + p.name;
    install += "mkdir -p %{buildroot}/usr/share/kuphost-sandbox/packages %{buildroot}/usr/bin\n"
               "echo " + p.version + " > %{buildroot}" + stamp + "\n";
    files += "%files -n " + p.name + "\n" + stamp + "\n";
    if (p.links_simulator()) {
      install += "ln -s " + node_sim.string() + " %{buildroot}/usr/bin/" + p.name + "\n";
      files += "/usr/bin/" + p.name + "\n";
    } else if (p.name == "cri-tools") {
      install += "printf '#!/bin/sh\\necho \"crictl version v" + p.version +
                 "\"\\n' > %{buildroot}/usr/bin/crictl\nchmod 0755 %{buildroot}/usr/bin/crictl\n";
      files += "/usr/bin/crictl\n";
    }
  }
  return spec + install + files;
}

void build_rpm_mirror(const fs::path &mirror, const fs::path &work, const LocalMirrorParams &p,
                      const SigningKey &key) {
  // rpmbuild and rpmsign must not create this machine's ~/.rpmdb.
  const fs::path home = work / "rpm-home";
  write_file(home / ".rpmmacros", "%_dbpath " + (work / "rpmdb").string() + "\n", 0644);
  std::vector<std::string> env = key.env();
  env.push_back("HOME=" + home.string());
  for (const auto &[minor, repository] : p.universe->repositories) {
    const fs::path dir = minor_dir(mirror, minor, "rpm");
    make_dirs(dir, 0755);
    std::map<std::string, const UniversePackage *> packages;
    for (const auto &[name, package] : repository.packages) packages[name] = &package;
    std::vector<std::vector<Payload>> builds;
    for (const auto &version : repository.packages.at("kubeadm").versions)
      builds.push_back({{"kubeadm", version}, {"kubelet", version}, {"kubectl", version}});
    for (const char *alone : {"cri-tools", "kubernetes-cni"})
      for (const auto &version : repository.packages.at(alone).versions) builds.push_back({{alone, version}});
    int n = 0;
    for (const auto &build : builds) {
      const fs::path spec = work / ("build-" + minor + "-" + std::to_string(n++) + ".spec");
      write_file(spec, rpm_spec(build, p.universe->rpm_release, packages, p.node_sim), 0644);
      must_run_tool({"rpmbuild", "--quiet", "-bb", spec.string(), "--define", "_topdir " + (work / "top").string(),
                     "--define", "_build_id_links none", "--define", "_binary_payload w2.xzdio", "--define",
                     "__os_install_post %{nil}", "--define", "_rpmdir " + dir.string(), "--define",
                     "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm"},
                    env);
    }
    std::vector<std::string> sign{"rpmsign", "--addsign", "--define", "__gpg /usr/bin/gpg", "--define",
                                  std::string("_gpg_name ") + kSigner};
    for (const auto &entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".rpm") sign.push_back(entry.path().string());
    must_run_tool(sign, env);
    must_run_tool({"createrepo_c", "--quiet", dir.string()}, env);
    must_run_tool({"gpg", "--batch", "--yes", "--detach-sign", "--armor", "repodata/repomd.xml"}, key.env(), dir);
    fs::copy_file(mirror_public_key(mirror), dir / "repodata/repomd.xml.key");
  }
}

}  // namespace

fs::path mirror_public_key(const fs::path &mirror_dir) { return mirror_dir / "Release.key"; }

void build_local_mirror(const fs::path &mirror_dir, const LocalMirrorParams &params) {
  make_dirs(mirror_dir, 0755);
  const fs::path work = mirror_dir / ".build";
  make_dirs(work, 0700);
  {
    const SigningKey key;
    write_file(mirror_public_key(mirror_dir),
               must_run_tool({"gpg", "--batch", "--armor", "--export"}, key.env()).out, 0644);
    write_file(mirror_dir / "kubernetes-apt-keyring.gpg", must_run_tool({"gpg", "--batch", "--export"}, key.env()).out,
               0644);
    if (params.deb) build_deb_mirror(mirror_dir, work, params, key);
    if (params.rpm) build_rpm_mirror(mirror_dir, work, params, key);
  }
  fs::remove_all(work);
}

}  // namespace kuphost::sandbox::detail
