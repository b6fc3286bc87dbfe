// The PowerShell interpreter's pieces: a session (variables, $?, the error
// preference), parsed statements as closures, and the parsers each group of
// cmdlets provides. Output lines end in CRLF, as PowerShell's on Windows.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "invocation.h"

namespace kuphost::sandbox::sim::ps {

inline constexpr const char *kNewline = "\r\n";

// `throw`, or a cmdlet error under $ErrorActionPreference = 'Stop': ends the script.
struct TerminatingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ScriptExit {
  int code;
};

struct Session {
  Invocation &inv;
  std::map<std::string, std::string> variables;  // lower-case names, without '$'
  bool failed = false;                            // !$? of the last statement

  std::string get(const std::string &name) const;
  void set(const std::string &name, std::string value);
  // A cmdlet's error: terminating under 'Stop'; otherwise printed, and the
  // statement fails ($? false) while the script goes on.
  void error(const std::string &cmdlet, const std::string &message);
  // A native command's exit: $LASTEXITCODE, and $? false when non-zero.
  void native_exit(int code);
  // A Windows path as a path under the node root; errors like a cmdlet when
  // the path cannot be mapped.
  std::optional<fs::path> host_path(const std::string &cmdlet, const std::string &windows_path);
  // The file is a running service's executable (C:\k\kubelet.exe while the
  // kubelet runs): Windows refuses to replace, move or delete it.
  bool in_use(const fs::path &host) const;
};

using Action = std::function<void(Session &)>;
using Value = std::function<std::string(Session &)>;
using Condition = std::function<bool(Session &)>;

// Syntax helpers (powershell_syntax.cpp).
std::string lower(std::string_view text);
// Case-insensitive ECMAScript regex; `R_LIT` in a pattern is one single-quoted
// literal capturing its body, `R_NAME` a bare or quoted name (two captures).
std::regex pattern(const std::string &source);
bool matches(const std::string &line, const std::regex &re, std::smatch &m);
std::string literal(const std::smatch &m, size_t group);  // the body with '' -> '
std::string name_of(const std::smatch &m, size_t group);  // first non-empty of group, group+1
std::optional<Value> parse_operand(const std::string &text);  // $var, 'literal', integer
std::optional<Condition> parse_condition(const std::string &text);
std::optional<Value> parse_value(const std::string &text);

// Each group's statements, values and conditions; nullopt: not theirs.
std::optional<Action> parse_file_statement(const std::string &line);
std::optional<Value> parse_file_value(const std::string &text);
std::optional<Condition> parse_file_condition(const std::string &text);
std::optional<Action> parse_service_statement(const std::string &line);
std::optional<Value> parse_service_value(const std::string &text);
std::optional<Action> parse_native_statement(const std::string &line);

}  // namespace kuphost::sandbox::sim::ps
