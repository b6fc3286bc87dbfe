//===- windows-node/powershell_script.h - PowerShell kuphost may send -----===//
//
// Builds scripts from the statements of the PowerShell subset of sdk/sandbox/README.md ("Windows nodes") only (one per
// line, single-quoted literals), so nothing reaches a node that the sandbox's
// PowerShell stand-in has not been taught; and encodes them for
// `powershell -EncodedCommand` (base64 of UTF-16LE).
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_POWERSHELL_SCRIPT_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_POWERSHELL_SCRIPT_H

#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::windows_node {

// 'text' with ' doubled, as PowerShell reads single-quoted strings.
std::string ps_quote(std::string_view text);
// base64(UTF-16LE(script)) without newlines; `script` is UTF-8.
std::string encode_command(std::string_view script);

class PsScript {
 public:
  // Starts with `# kuphost step: <step>` and $ErrorActionPreference = 'Stop'.
  explicit PsScript(std::string_view step);
  // No header: a section of a longer script.
  static PsScript section() { return PsScript(); }

  PsScript &comment(std::string_view text);
  PsScript &set(std::string_view var, std::string_view literal);
  PsScript &file_hash(std::string_view var, std::string_view path);
  PsScript &read_trimmed(std::string_view var, std::string_view path);
  PsScript &service_exists(std::string_view var, std::string_view service);
  PsScript &output(std::string_view literal);
  PsScript &output_var(std::string_view var);
  PsScript &make_dir(std::string_view path);
  PsScript &copy(std::string_view from, std::string_view to);
  PsScript &remove(std::string_view path);
  // curl.exe into `path`; a failed download throws `what` (curl does not).
  PsScript &download(std::string_view path, std::string_view url, std::string_view what);
  // & 'exe' args...; a non-zero exit throws `what`.
  PsScript &native(std::string_view exe, std::string_view args, std::string_view what);
  PsScript &stop_service(std::string_view service);
  PsScript &start_service(std::string_view service);
  // if ($a -ne $b) { throw 'message' }
  PsScript &throw_if_differ(std::string_view var_a, std::string_view var_b, std::string_view message);
  // if (Test-Path -LiteralPath 'P') { <next statement> }: applies to the
  // next statement only.
  PsScript &if_exists(std::string_view path);
  // Every following statement runs only when $var is True (for the script an
  // operator runs, which probes kube-proxy itself); "" ends it.
  PsScript &guard(std::string_view var);

  const std::vector<std::string> &lines() const { return lines_; }
  std::string text() const;
  // Appends `other`'s lines (a section) to this script.
  PsScript &append(const PsScript &other);

 private:
  PsScript() = default;
  PsScript &add(std::string statement);
  std::vector<std::string> lines_;
  std::string guard_;
  std::string pending_if_;
};

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_POWERSHELL_SCRIPT_H
