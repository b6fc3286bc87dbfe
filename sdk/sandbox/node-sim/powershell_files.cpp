// File cmdlets on the node's C: drive (<root>/C): New-Item, Copy-Item,
// Move-Item, Remove-Item, Get-FileHash, Get-Content, Test-Path, with
// PowerShell 5.1's messages.
#include <algorithm>
#include <system_error>

#include "fs_util.h"
#include "powershell_session.h"
#include "windows_binaries.h"

namespace kuphost::sandbox::sim::ps {
namespace {

constexpr const char *kInUse = "The process cannot access the file because it is being used by another process.";

std::string not_found(const std::string &path) { return "Cannot find path '" + path + "' because it does not exist."; }

// Copy-Item/Move-Item -Force -LiteralPath A -Destination B
void copy_or_move(Session &s, const std::string &cmdlet, const std::string &from, const std::string &to) {
  const bool move = cmdlet == "Move-Item";
  const auto source = s.host_path(cmdlet, from);
  if (!source) return;
  auto target = s.host_path(cmdlet, to);
  if (!target) return;
  if (!fs::exists(*source)) return s.error(cmdlet, not_found(from));
  if (fs::is_directory(*target)) *target /= source->filename();
  if (!fs::is_directory(target->parent_path())) return s.error(cmdlet, "Could not find a part of the path '" + to + "'.");
  if (s.in_use(*target) || (move && s.in_use(*source))) return s.error(cmdlet, kInUse);
  std::error_code ec;
  if (move) {
    if (fs::exists(*target) && !fs::is_directory(*target)) fs::remove(*target, ec);
    fs::rename(*source, *target, ec);
  } else if (fs::is_directory(*source)) {
    fs::create_directory(*target, ec);  // without -Recurse, only the directory itself
  } else {
    fs::copy_file(*source, *target, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) s.error(cmdlet, ec.message());
}

}  // namespace

std::optional<Action> parse_file_statement(const std::string &line) {
  static const std::regex new_dir = pattern(R"(New-Item\s+-ItemType\s+Directory\s+-Force\s+-Path\s+R_LIT\s*\|\s*Out-Null)");
  static const std::regex copy_move =
      pattern(R"((Copy-Item|Move-Item)\s+-Force\s+-LiteralPath\s+R_LIT\s+-Destination\s+R_LIT)");
  static const std::regex remove = pattern(R"(Remove-Item\s+-Force\s+-Recurse\s+-LiteralPath\s+R_LIT)");
  std::smatch m;
  if (matches(line, new_dir, m)) {
    return [path = literal(m, 1)](Session &s) {
      const auto host = s.host_path("New-Item", path);
      if (!host) return;
      if (fs::exists(*host) && !fs::is_directory(*host))
        return s.error("New-Item", "An item with the specified name " + path + " already exists.");
      detail::make_dirs(*host, 0755);
    };
  }
  if (matches(line, copy_move, m)) {
    const std::string cmdlet = lower(m[1].str()) == "copy-item" ? "Copy-Item" : "Move-Item";
    return [cmdlet, from = literal(m, 2), to = literal(m, 3)](Session &s) { copy_or_move(s, cmdlet, from, to); };
  }
  if (matches(line, remove, m)) {
    return [path = literal(m, 1)](Session &s) {
      const auto host = s.host_path("Remove-Item", path);
      if (!host) return;
      if (!fs::exists(fs::symlink_status(*host))) return s.error("Remove-Item", not_found(path));
      if (s.in_use(*host)) return s.error("Remove-Item", kInUse);
      fs::remove_all(*host);
    };
  }
  return std::nullopt;
}

std::optional<Value> parse_file_value(const std::string &text) {
  static const std::regex hash = pattern(R"(\(Get-FileHash\s+-Algorithm\s+SHA256\s+-LiteralPath\s+R_LIT\)\.Hash)");
  static const std::regex content = pattern(R"(\(Get-Content\s+-Raw\s+-LiteralPath\s+R_LIT\)\.Trim\(\))");
  std::smatch m;
  if (matches(text, hash, m)) {
    return [path = literal(m, 1)](Session &s) -> std::string {
      const auto host = s.host_path("Get-FileHash", path);
      if (!host) return "";
      if (!fs::is_regular_file(*host)) {
        s.error("Get-FileHash", not_found(path));
        return "";
      }
      std::string digest = detail::sha256_hex(detail::read_file(*host));
      std::transform(digest.begin(), digest.end(), digest.begin(), [](unsigned char c) { return std::toupper(c); });
      return digest;
    };
  }
  if (matches(text, content, m)) {
    return [path = literal(m, 1)](Session &s) -> std::string {
      const auto host = s.host_path("Get-Content", path);
      if (!host) return "";
      if (!fs::is_regular_file(*host)) {
        s.error("Get-Content", not_found(path));
        return "";
      }
      const std::string raw = detail::read_file(*host);
      const auto first = raw.find_first_not_of(" \t\r\n");
      if (first == std::string::npos) return "";
      return raw.substr(first, raw.find_last_not_of(" \t\r\n") - first + 1);
    };
  }
  return std::nullopt;
}

std::optional<Condition> parse_file_condition(const std::string &text) {
  static const std::regex test_path = pattern(R"(Test-Path\s+-LiteralPath\s+R_LIT)");
  std::smatch m;
  if (!matches(text, test_path, m)) return std::nullopt;
  return [path = literal(m, 1)](Session &s) {
    const auto host = s.host_path("Test-Path", path);
    return host && fs::exists(*host);
  };
}

}  // namespace kuphost::sandbox::sim::ps
