#include "backup_names.h"

#include <cctype>

#include "archive/archive_format.h"
#include "backup_set/copy_tree.h"

namespace kuphost_plugins::etcd_backup {

std::string kubeadm_timestamp(std::chrono::system_clock::time_point when) {
  return kubeadm_etcd_backup_name(when).substr(kKubeadmEtcdPrefix.size());
}

const std::vector<std::string> &set_suffixes() {
  static const std::vector<std::string> suffixes = [] {
    std::vector<std::string> all{""};
    for (const ArchiveFormat format : {ArchiveFormat::kTarZstd, ArchiveFormat::kTarGzip})
      for (const bool encrypted : {false, true}) all.push_back(archive_suffix(format, encrypted));
    return all;
  }();
  return suffixes;
}

std::optional<SetName> parse_set_name(std::string_view name) {
  if (name.substr(0, kSetPrefix.size()) != kSetPrefix) return std::nullopt;
  std::string_view rest = name.substr(kSetPrefix.size());
  // YYYY-MM-DD-HH-MM-SS: 19 characters, digits and dashes in place.
  constexpr std::string_view pattern = "dddd-dd-dd-dd-dd-dd";
  if (rest.size() < pattern.size()) return std::nullopt;
  for (std::size_t i = 0; i < pattern.size(); ++i)
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(rest[i])) : rest[i] != '-') return std::nullopt;
  std::size_t end = pattern.size();
  if (end < rest.size() && rest[end] == '-') {  // a second backup in the same second
    std::size_t digits = end + 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == end + 1) return std::nullopt;
    end = digits;
  }
  const std::string_view suffix = rest.substr(end);
  for (const auto &known : set_suffixes())
    if (suffix == known)
      return SetName{std::string(name.substr(0, kSetPrefix.size() + end)), std::string(rest.substr(0, end)),
                     std::string(suffix)};
  return std::nullopt;
}

}  // namespace kuphost_plugins::etcd_backup
