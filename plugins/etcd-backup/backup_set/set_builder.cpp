#include "set_builder.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <span>
#include <stdexcept>

#include "io.h"
#include "tree_copier.h"

namespace kuphost_plugins::etcd_backup {
namespace {

void check_relative(const std::string &relative) {
  const std::filesystem::path p(relative);
  if (relative.empty() || p.is_absolute() || relative == "." ||
      std::any_of(p.begin(), p.end(), [](const auto &part) { return part == ".." || part == "."; }))
    throw std::invalid_argument("not a path inside a backup set: '" + relative + "'");
}

}  // namespace

SetBuilder::SetBuilder(std::filesystem::path set, const CopyOptions &options, FileSystem &fs)
    : set_(std::move(set)), options_(options), fs_(fs), copier_(std::make_unique<TreeCopier>(fs, options)) {
  if (fs_.mkdir(set_, 0700) != 0) throw_errno(errno, "cannot create the backup set", set_);
  copier_->add_directory_entry(".", 0700);
  directories_.insert(".");
}

SetBuilder::~SetBuilder() {
  if (finished_ || options_.keep_partial_on_failure) return;
  try {
    remove_tree(fs_, set_);
  } catch (...) {
    // Without its manifest the set is recognisably incomplete anyway.
  }
}

void SetBuilder::make_parents(const std::string &relative) {
  const auto slash = relative.rfind('/');
  if (slash == std::string::npos) return;
  const std::string parent = relative.substr(0, slash);
  if (directories_.count(parent)) return;
  make_parents(parent);
  const auto dir = set_ / parent;
  if (fs_.mkdir(dir, 0700) != 0) throw_errno(errno, "cannot create directory", dir);
  // Not a copy of anything: recorded as a plain directory for the restore.
  copier_->add_directory_entry(parent, 0755);
  directories_.insert(parent);
}

void SetBuilder::add_tree(const std::filesystem::path &from, const std::string &relative) {
  check_relative(relative);
  make_parents(relative);
  bool created = false;
  copier_->copy_directory_tree(from, set_ / relative, relative, created);
  directories_.insert(relative);
}

void SetBuilder::add_file(const std::filesystem::path &from, const std::string &relative) {
  check_relative(relative);
  make_parents(relative);
  copier_->copy_file(from, set_ / relative, relative);
}

void SetBuilder::adopt_file(const std::string &relative) {
  check_relative(relative);
  copier_->adopt_file(set_ / relative, relative);
}

void SetBuilder::write_file(const std::string &relative, std::string_view contents) {
  check_relative(relative);
  make_parents(relative);
  {
    PartialFile file(fs_, set_ / relative);
    write_all(fs_, file.fd(), std::as_bytes(std::span(contents.data(), contents.size())), file.partial_path());
    file.commit(0600);
  }
  adopt_file(relative);
}

Manifest SetBuilder::finish() {
  if (finished_) throw std::logic_error("SetBuilder::finish called twice");
  Manifest manifest;
  manifest.private_set = options_.private_set;
  manifest.entries = copier_->take_entries();
  // Byte order puts every parent before its contents; "." first.
  std::sort(manifest.entries.begin(), manifest.entries.end(), [](const Entry &a, const Entry &b) {
    if (a.path == "." || b.path == ".") return a.path == "." && b.path != ".";
    return a.path < b.path;
  });
  for (const auto &dir : directories_) sync_directory(fs_, dir == "." ? set_ : set_ / dir);
  write_manifest(fs_, set_, manifest);
  finished_ = true;
  return manifest;
}

}  // namespace kuphost_plugins::etcd_backup
