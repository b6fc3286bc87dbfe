// ssh on the admin machine of a Windows node: runs
//   powershell -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand B64
// on the node (B64 = base64 of the UTF-16LE script), logs the decoded script
// to var/log/kuphost-sandbox/powershell.log and exits with its exit code.
#include <ostream>
#include <sstream>

#include "base64.h"
#include "clock_text.h"
#include "commands.h"
#include "fs_util.h"
#include "powershell.h"
#include "powershell_session.h"
#include "ssh_transport.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr const char *kNotEncoded =
    "Cannot process the command because the value specified with -EncodedCommand is not properly encoded. The value "
    "must be Base64 encoded.";

void append_utf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// UTF-16LE (what -EncodedCommand carries) to UTF-8; nullopt if malformed.
std::optional<std::string> utf16le_to_utf8(const std::string &bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    uint32_t unit = static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (unit >= 0xd800 && unit < 0xdc00) {  // a surrogate pair
      if (i + 3 >= bytes.size()) return std::nullopt;
      const uint32_t low = static_cast<unsigned char>(bytes[i + 2]) | (static_cast<unsigned char>(bytes[i + 3]) << 8);
      if (low < 0xdc00 || low >= 0xe000) return std::nullopt;
      unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      i += 2;
    } else if (unit >= 0xdc00 && unit < 0xe000) {
      return std::nullopt;
    }
    if (!(i == 0 && unit == 0xfeff)) append_utf8(out, unit);  // a byte-order mark is not part of the script
  }
  return out;
}

// The remote words as Windows OpenSSH hands them to cmd.exe: the script, or
// nullopt after printing why the sandbox's node does not run the command.
std::optional<std::string> encoded_script(Invocation &inv, const std::vector<std::string> &remote) {
  std::string joined;
  for (const auto &w : remote) joined += (joined.empty() ? "" : " ") + w;
  std::vector<std::string> words;
  std::istringstream split(joined);
  for (std::string w; split >> w;) words.push_back(w);
  const std::string program = words.empty() ? "" : ps::lower(words[0]);
  if (program != "powershell" && program != "powershell.exe") {
    inv.err << "'" << (words.empty() ? "" : words[0]) << "' is not recognized as an internal or external command,"
            << ps::kNewline << "operable program or batch file." << ps::kNewline;
    return std::nullopt;
  }
  std::optional<std::string> encoded;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string flag = ps::lower(words[i]);
    if (flag == "-nologo" || flag == "-noprofile" || flag == "-noninteractive") continue;
    if ((flag == "-executionpolicy" || flag == "-encodedcommand") && i + 1 < words.size()) {
      if (flag == "-encodedcommand") encoded = words[i + 1];
      ++i;
      continue;
    }
    encoded.reset();
    break;
  }
  if (!encoded) {
    inv.err << "powershell.exe (kuphost sandbox): only `powershell -NoLogo -NoProfile -NonInteractive "
               "-ExecutionPolicy Bypass -EncodedCommand B64` is simulated, not: "
            << joined << ps::kNewline;
    return std::nullopt;
  }
  const auto bytes = detail::base64_decode(*encoded);
  auto script = bytes ? utf16le_to_utf8(*bytes) : std::nullopt;
  if (!script) inv.err << kNotEncoded << ps::kNewline;
  return script;
}

}  // namespace

int run_ssh(Invocation &inv) {
  const auto line = parse_ssh_options(inv, false);
  if (!line) return kSshFailed;
  const std::string host = host_of(line->operands[0]);
  if (!resolves_to_this_node(inv, host)) return kSshFailed;
  const std::vector<std::string> remote(line->operands.begin() + 1, line->operands.end());
  if (remote.empty()) {
    inv.err << "ssh (kuphost sandbox): interactive sessions are not simulated; give the remote command\n";
    return kSshFailed;
  }
  const auto script = encoded_script(inv, remote);
  if (!script) return 1;
  std::string entry = "# ssh " + host + " " + detail::now_rfc3339() + "\n" + *script;
  while (!entry.empty() && entry.back() == '\n') entry.pop_back();
  detail::append_line(inv.root / "var/log/kuphost-sandbox/powershell.log", entry);
  return run_powershell(inv, *script);
}

}  // namespace kuphost::sandbox::sim
