#include "pki_backup.h"

#include <sstream>
#include <stdexcept>

#include "support/utc_stamp.hpp"

namespace kuphost_plugins::certs {

std::string pki_backup_name(int64_t now_unix) { return "kuphost-backup-pki-" + utc_stamp(now_unix); }

std::vector<BackedUpFile> describe_files(NodeFiles &files, const std::vector<std::string> &paths) {
  std::vector<BackedUpFile> out;
  for (const auto &path : paths) {
    const auto data = files.read(path);
    if (!data) throw std::runtime_error(path + " does not exist");
    out.push_back({path, files.mode(path), sha256_hex(*data)});
  }
  return out;
}

std::string backup_manifest(const std::vector<BackedUpFile> &records) {
  std::ostringstream out;
  for (const auto &r : records) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", r.mode);
    out << mode << ' ' << r.sha256_hex << ' ' << r.node_path << '\n';
  }
  return out.str();
}

std::vector<BackedUpFile> parse_backup_manifest(std::string_view text) {
  std::vector<BackedUpFile> out;
  std::istringstream in{std::string(text)};
  std::string mode, sha, path;
  while (in >> mode >> sha >> path) {
    BackedUpFile r;
    r.mode = static_cast<uint32_t>(std::stoul(mode, nullptr, 8));
    r.sha256_hex = sha;
    r.node_path = path;
    if (sha.size() != 64 || path.empty() || path.front() != '/')
      throw std::runtime_error("not a kuphost PKI backup manifest line: " + mode + " " + sha + " " + path);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<BackedUpFile> write_pki_backup(NodeFiles &files, const std::string &dir,
                                           const std::vector<std::string> &paths) {
  std::vector<BackedUpFile> records;
  for (const auto &path : paths) {
    const auto data = files.read(path);
    if (!data) throw std::runtime_error(path + " does not exist");
    const uint32_t mode = files.mode(path);
    files.write(dir + path, *data, mode);
    records.push_back({path, mode, sha256_hex(*data)});
  }
  files.write(dir + "/MANIFEST", backup_manifest(records), 0600);  // last: a set without it is incomplete
  return records;
}

BackupReader directory_backup_reader(NodeFiles &files, const std::string &dir) {
  return [&files, dir](const std::string &node_path) { return files.read(dir + node_path); };
}

std::vector<std::string> restore_pki_backup(NodeFiles &files, const std::vector<BackedUpFile> &records,
                                            const BackupReader &backup) {
  std::vector<std::pair<const BackedUpFile *, std::string>> copies;
  for (const auto &r : records) {
    auto data = backup(r.node_path);
    if (!data) throw std::runtime_error("the backup has no copy of " + r.node_path);
    if (sha256_hex(*data) != r.sha256_hex)
      throw std::runtime_error("the backup's copy of " + r.node_path + " does not match its recorded SHA-256");
    copies.emplace_back(&r, std::move(*data));
  }
  std::vector<std::string> rewritten;
  for (const auto &[r, data] : copies) {
    const auto current = files.read(r->node_path);
    if (current && *current == data && files.mode(r->node_path) == r->mode) continue;
    files.write(r->node_path, data, r->mode);
    rewritten.push_back(r->node_path);
  }
  return rewritten;
}

}  // namespace kuphost_plugins::certs
