#include "apt_root.h"

#include <sstream>

namespace fs = std::filesystem;

namespace kuphost::test::deb {

AptRoot::AptRoot(const fs::path &root) : root_(root) {
  for (const char *dir : {"etc/apt/apt.conf.d", "etc/apt/sources.list.d", "etc/apt/preferences.d",
                          "etc/apt/trusted.gpg.d", "etc/apt/keyrings", "var/lib/apt/lists/partial",
                          "var/cache/apt/archives/partial", "var/lib/dpkg/info", "var/lib/dpkg/updates",
                          "var/lib/dpkg/triggers", "var/lib/dpkg/alternatives", "var/log/apt", "usr/bin"})
    fs::create_directories(root_ / dir);
  write_file(root_ / "var/lib/dpkg/status", "");
  write_file(root_ / "var/lib/dpkg/available", "");
  const std::string r = root_.string();
  // Kept outside ROOT/etc/apt: there apt would read it twice (recipe pitfall).
  write_file(apt_config(), "Dir \"" + r + "/\";\n"
                           "Dir::State::status \"" + r + "/var/lib/dpkg/status\";\n"
                           "Dir::Bin::methods \"/usr/lib/apt/methods\";\n"
                           "Dir::Bin::dpkg \"/usr/bin/dpkg\";\n"
                           "APT::Architecture \"amd64\";\n"
                           "APT::Architectures { \"amd64\"; };\n"
                           "DPkg::Options { \"--root=" + r + "\"; \"--admindir=" + r + "/var/lib/dpkg\"; \"--log=" +
                           r + "/var/log/dpkg.log\"; \"--force-script-chrootless\"; };\n"
                           "DPkg::Use-Pty \"0\";\n");
}

void AptRoot::install_keyring(const fs::path &keyring_file) const {
  fs::copy_file(keyring_file, keyring(), fs::copy_options::overwrite_existing);
}

void AptRoot::write_sources(const fs::path &repo_root, const std::string &minor) const {
  write_file(sources_list(), "deb [signed-by=" + keyring().string() + "] file:" + repo_root.string() +
                                 "/core:/stable:/" + minor + "/deb/ /\n");
}

std::vector<std::string> AptRoot::env() const {
  return {"APT_CONFIG=" + apt_config().string(), "DEBIAN_FRONTEND=noninteractive",
          "FAKE_KUBEADM_LOG=" + (root_ / "var/log/fake-kubeadm.log").string(), "LC_ALL=C", "LANG=C",
          "LANGUAGE="};
}

ProcessResult AptRoot::run(const std::string &tool, const std::vector<std::string> &args) const {
  std::vector<std::string> argv{tool};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env());
}

ProcessResult AptRoot::apt_get(const std::vector<std::string> &args) const { return run("apt-get", args); }
ProcessResult AptRoot::apt_cache(const std::vector<std::string> &args) const { return run("apt-cache", args); }
ProcessResult AptRoot::apt_mark(const std::vector<std::string> &args) const { return run("apt-mark", args); }

ProcessResult AptRoot::dpkg_query(const std::vector<std::string> &args) const {
  std::vector<std::string> all{"--admindir=" + admindir().string()};
  all.insert(all.end(), args.begin(), args.end());
  return run("dpkg-query", all);
}

std::vector<std::string> AptRoot::installed() const {
  const ProcessResult r = dpkg_query({"-W", "-f=${Package} ${Version} ${db:Status-Abbrev}\n"});
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace kuphost::test::deb
