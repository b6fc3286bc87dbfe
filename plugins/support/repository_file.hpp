//===- support/repository_file.hpp - the per-minor pkgs.k8s.io repository --===//
//
// Every minor upgrade points the Kubernetes repository at the new minor
// before kubeadm can be installed (packages.md §3). RepositoryFile is that
// step for one package manager: the repository phase's plan, apply and
// rollback, and switch_repository of kuphost.package-manager/1.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_REPOSITORY_FILE_HPP
#define KUPHOST_PLUGINS_SUPPORT_REPOSITORY_FILE_HPP

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/kube_version.hpp"
#include "support/repository_edit.hpp"
#include "support/text.hpp"

namespace kuphost_plugins {

// The repository phase and switch_repository of one package manager: the
// file, and the commands that refresh the package index afterwards.
class RepositoryFile {
 public:
  // `missing_message` replaces the message read() fails with when the file
  // does not exist (a plugin that looked for several files names them all).
  RepositoryFile(const kup::Host &host, std::string path,
                 std::vector<std::vector<std::string>> refresh_commands, std::string missing_message = {})
      : host_(host),
        path_(std::move(path)),
        refresh_(std::move(refresh_commands)),
        missing_message_(std::move(missing_message)) {}

  const std::string &path() const noexcept { return path_; }

  std::string read() const {
    if (auto text = read_if_exists()) return *text;
    throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                     !missing_message_.empty()
                         ? missing_message_
                         : path_ + " does not exist; kuphost upgrades the packages of the pkgs.k8s.io "
                                   "repository that file defines (see the kubeadm install docs)");
  }

  std::optional<std::string> read_if_exists() const {
    if (!host_.stat(path_).exists()) return std::nullopt;
    return host_.read_file(path_);
  }

  // Writes the file when a URL names another minor, then refreshes the index
  // in every case (a patch release appears only after a refresh). Returns
  // whether the file changed.
  bool switch_to(const std::string &minor) const {
    check_minor(minor);
    const std::string before = read();
    const RepositoryEdit edit = edit_repository(before, path_, minor);
    if (edit.changed) write(edit.text);
    refresh();
    return edit.changed;
  }

  // Writes `content` back unless the file already holds it, then refreshes.
  void restore(const std::string &content) const {
    const bool exists = host_.stat(path_).exists();
    if (!exists || host_.read_file(path_) != content) write(content);
    refresh();
  }

  // The steps of the repository phase for `target` (a Kubernetes version,
  // empty when the plan has none).
  void plan(const kup::Call &call) const {
    const RepositoryEdit current = edit_repository(read(), path_, "");
    const std::string from = join(current.minors, ", ");
    const auto target = KubeVersion::parse(call.target_version());
    if (!target) {
      call.out(path_ + " is on " + from + "; give a target version to see the switch");
      return;
    }
    const std::string to = target->minor_str();
    if (current.minors.size() == 1 && current.minors.front() == to)
      call.out("already on " + to + ", no switch");
    else
      call.out("point " + path_ + " from " + from + " to " + to);
    for (const auto &argv : refresh_) call.out(command_line(argv));
  }

  // Records the original content (once, so a resumed run keeps the first)
  // before changing the file; rollback() writes it back.
  void apply(const kup::Call &call) const {
    const auto target = KubeVersion::parse(call.target_version());
    if (!target)
      throw kup::Error(KUP_E_INVALID_ARGUMENT, "no valid target version given to the repository phase");
    const std::string to = target->minor_str();
    const std::string before = read();
    const RepositoryEdit edit = edit_repository(before, path_, to);
    // The host copies the file to /var/lib/kuphost/backups/<run>/ before the
    // write; this copy in the journal serves rollback.
    if (edit.changed && !host_.state_get(kOriginalKey)) host_.state_set(kOriginalKey, before);
    bool changed = false;
    try {
      changed = switch_to(to);
    } catch (const kup::Error &) {
      // A failed phase leaves the node as it found it (sdk/ABI.md): the old
      // file back, and its index refreshed again (best effort; the switch's
      // error is the one to report).
      if (edit.changed) {
        call.out("the switch failed; restoring " + path_ + " as it was");
        try {
          restore(before);
        } catch (const kup::Error &) {
        }
      }
      throw;
    }
    if (changed)
      call.changed(path_ + ": " + join(edit.minors, ", ") + " -> " + to);
    else
      call.unchanged("already on " + to + ", no switch; package index refreshed");
  }

  void rollback(const kup::Call &call) const {
    const auto original = host_.state_get(kOriginalKey);
    if (!original) {
      call.out("nothing to roll back: kuphost did not change " + path_);
      return;
    }
    call.out("restoring " + path_ + " as it was before the upgrade");
    restore(*original);
  }

 private:
  static constexpr std::string_view kOriginalKey = "repository.original";

  static void check_minor(const std::string &minor) {
    if (repository_detail::minor_length_at(minor + "/", 0) != minor.size())
      throw kup::Error(KUP_E_INVALID_ARGUMENT, "'" + minor + "' is not a Kubernetes minor such as v1.31");
  }
  void write(const std::string &content) const {
    const kup::FileInfo info = host_.stat(path_);
    host_.write_file(path_, content, info.exists() ? (info.mode & 07777) : 0644);
  }
  void refresh() const {
    kup::ExecOptions opt;
    opt.stream = true;
    opt.timeout_ms = 5 * 60 * 1000;
    for (const auto &argv : refresh_) host_.run(argv, opt);
  }

  kup::Host host_;
  std::string path_;
  std::vector<std::vector<std::string>> refresh_;
  std::string missing_message_;
};

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_REPOSITORY_FILE_HPP
