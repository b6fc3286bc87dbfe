// The host's apt/dpkg on an alternate root (test-recipes.md §1b): an
// APT_CONFIG file outside ROOT/etc/apt, the directory tree apt and dpkg need,
// and DPkg::Options that keep dpkg's database, log and files under ROOT. Never
// touches the host's /etc/apt, /var/lib/apt, /var/cache/apt or /var/lib/dpkg.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace kuphost::test::deb {

class AptRoot {
 public:
  // Creates the tree under `root` (created if missing).
  explicit AptRoot(const std::filesystem::path &root);

  const std::filesystem::path &root() const { return root_; }
  std::filesystem::path apt_config() const { return root_ / "apt.conf"; }
  std::filesystem::path admindir() const { return root_ / "var/lib/dpkg"; }
  std::filesystem::path keyring() const { return root_ / "etc/apt/keyrings/kubernetes-apt-keyring.gpg"; }
  std::filesystem::path sources_list() const { return root_ / "etc/apt/sources.list.d/kubernetes.list"; }

  // Copies `keyring` to ROOT/etc/apt/keyrings/kubernetes-apt-keyring.gpg.
  void install_keyring(const std::filesystem::path &keyring) const;
  // Writes kubernetes.list: deb [signed-by=KEYRING] file:REPO/core:/stable:/v1.MM/deb/ /
  void write_sources(const std::filesystem::path &repo_root, const std::string &minor) const;

  // The environment every command gets (APT_CONFIG, DEBIAN_FRONTEND, ...).
  std::vector<std::string> env() const;
  ProcessResult apt_get(const std::vector<std::string> &args) const;
  ProcessResult apt_cache(const std::vector<std::string> &args) const;
  ProcessResult apt_mark(const std::vector<std::string> &args) const;
  // dpkg-query --admindir=ROOT/var/lib/dpkg ARGS
  ProcessResult dpkg_query(const std::vector<std::string> &args) const;
  // "name version status-abbrev" lines of every package dpkg knows in ROOT,
  // e.g. "kubeadm 1.30.5-1.1 hi" (trailing blanks of the abbreviation trimmed).
  std::vector<std::string> installed() const;

 private:
  ProcessResult run(const std::string &tool, const std::vector<std::string> &args) const;
  std::filesystem::path root_;
};

}  // namespace kuphost::test::deb
