// The interpreter's core: the session, the statements that are the
// language's own (assignment, Write-Output, if, throw, exit) and the run loop.
#include <ostream>
#include <sstream>

#include "powershell.h"
#include "powershell_session.h"
#include "windows_paths.h"

namespace kuphost::sandbox::sim::ps {
namespace {

struct Statement {
  int line = 0;
  std::string text;
  Action run;
};

std::optional<Action> parse_statement(const std::string &line, bool in_if);

// Write-Output 'text' | $VAR | "text with $VAR"
std::optional<Action> parse_write_output(const std::string &line) {
  static const std::regex write = pattern(R"(Write-Output\s+(.+))");
  static const std::regex interpolated = pattern(R"lit("([^"`$]*(?:\$[A-Za-z_][A-Za-z0-9_]*[^"`$]*)*)")lit");
  std::smatch m;
  if (!matches(line, write, m)) return std::nullopt;
  const std::string arg = m[1].str();
  Value value;
  if (auto operand = parse_operand(arg)) {
    value = *operand;
  } else if (matches(arg, interpolated, m)) {
    value = [text = m[1].str()](Session &s) {
      static const std::regex var(R"(\$([A-Za-z_][A-Za-z0-9_]*))");
      std::string out;
      auto begin = std::sregex_iterator(text.begin(), text.end(), var);
      size_t last = 0;
      for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += text.substr(last, static_cast<size_t>(it->position()) - last) + s.get(lower((*it)[1].str()));
        last = static_cast<size_t>(it->position() + it->length());
      }
      return out + text.substr(last);
    };
  } else {
    return std::nullopt;
  }
  return [value](Session &s) { s.inv.out << value(s) << kNewline; };
}

// if (COND) { STATEMENT }: the condition ends at its matching parenthesis.
std::optional<Action> parse_if(const std::string &line) {
  static const std::regex head = pattern(R"(if\s*\((.*))");
  std::smatch m;
  if (!matches(line, head, m)) return std::nullopt;
  const std::string rest = m[1].str();
  int depth = 1;
  bool quoted = false;
  size_t close = std::string::npos;
  for (size_t i = 0; i < rest.size() && close == std::string::npos; ++i) {
    const char c = rest[i];
    if (c == '\'') quoted = !quoted;
    else if (!quoted && c == '(') ++depth;
    else if (!quoted && c == ')' && --depth == 0) close = i;
  }
  if (close == std::string::npos) return std::nullopt;
  static const std::regex body = pattern(R"(\{(.*)\})");
  const std::string after = rest.substr(close + 1);
  if (!matches(after, body, m)) return std::nullopt;
  auto condition = parse_condition(rest.substr(0, close));
  auto statement = parse_statement(m[1].str(), true);
  if (!condition || !statement) return std::nullopt;
  return [condition = *condition, statement = *statement](Session &s) {
    if (condition(s)) statement(s);
  };
}

std::optional<Action> parse_statement(const std::string &line, bool in_if) {
  static const std::regex assignment = pattern(R"(\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+))");
  static const std::regex throw_literal = pattern(R"(throw\s+R_LIT)");
  static const std::regex exit_code = pattern(R"(exit\s+(-?[0-9]+))");
  std::smatch m;
  if (matches(line, assignment, m)) {
    auto value = parse_value(m[2].str());
    if (!value) return std::nullopt;
    return [name = lower(m[1].str()), value = *value](Session &s) { s.set(name, value(s)); };
  }
  if (matches(line, throw_literal, m)) return [message = literal(m, 1)](Session &) -> void { throw TerminatingError(message); };
  if (matches(line, exit_code, m)) return [code = std::stoi(m[1].str())](Session &) -> void { throw ScriptExit{code}; };
  if (auto a = parse_write_output(line)) return a;
  if (!in_if)
    if (auto a = parse_if(line)) return a;
  if (auto a = parse_file_statement(line)) return a;
  if (auto a = parse_service_statement(line)) return a;
  return parse_native_statement(line);
}

}  // namespace

std::string Session::get(const std::string &name) const {
  const auto it = variables.find(name);
  return it == variables.end() ? std::string() : it->second;
}

void Session::set(const std::string &name, std::string value) { variables[name] = std::move(value); }

void Session::error(const std::string &cmdlet, const std::string &message) {
  const std::string text = cmdlet.empty() ? message : cmdlet + " : " + message;
  if (lower(get("erroractionpreference")) == "stop") throw TerminatingError(text);
  inv.err << text << kNewline;
  failed = true;
}

void Session::native_exit(int code) {
  set("lastexitcode", std::to_string(code));
  failed = code != 0;
}

std::optional<fs::path> Session::host_path(const std::string &cmdlet, const std::string &windows_path) {
  std::string why;
  auto host = windows_host_path(inv.root, windows_path, &why);
  if (!host) error(cmdlet, why);
  return host;
}

bool Session::in_use(const fs::path &host) const { return windows_file_in_use(inv, host); }

}  // namespace kuphost::sandbox::sim::ps

namespace kuphost::sandbox::sim {

int run_powershell(Invocation &inv, const std::string &script) {
  std::vector<ps::Statement> statements;
  std::istringstream lines(script);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto action = ps::parse_statement(line, false);
    if (!action) {
      inv.err << "the sandbox's PowerShell does not understand: " << line.substr(first) << ps::kNewline;
      return 1;
    }
    statements.push_back({number, line.substr(first), std::move(*action)});
  }
  ps::Session session{inv, {}};
  session.set("erroractionpreference", "Continue");
  for (const auto &statement : statements) {
    session.failed = false;
    try {
      statement.run(session);
    } catch (const ps::ScriptExit &e) {
      inv.out.flush();
      return e.code;
    } catch (const ps::TerminatingError &e) {
      inv.out.flush();
      inv.err << e.what() << ps::kNewline << "At line:" << statement.line << " char:1" << ps::kNewline << "+ "
              << statement.text << ps::kNewline;
      return 1;
    }
  }
  // powershell -Command's rule: 1 when the last statement failed ($? false).
  return session.failed ? 1 : 0;
}

}  // namespace kuphost::sandbox::sim
