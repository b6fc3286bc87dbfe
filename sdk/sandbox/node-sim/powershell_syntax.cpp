// Operands, values and conditions of the PowerShell subset.
#include <cctype>

#include "powershell_session.h"

namespace kuphost::sandbox::sim::ps {
namespace {

void replace_all(std::string &text, const std::string &what, const std::string &with) {
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

// PowerShell's -eq/-ne: numbers compare as numbers, strings case-insensitively.
bool equal(const std::string &a, const std::string &b) {
  const std::regex number(R"(-?[0-9]+)");
  if (std::regex_match(a, number) && std::regex_match(b, number)) return std::stoll(a) == std::stoll(b);
  return lower(a) == lower(b);
}

bool truthy(const std::string &value) {
  // [bool] values are stored as True/False; PowerShell's truthiness of a
  // string is non-empty, except that "False" from [bool] must stay false.
  return !value.empty() && lower(value) != "false" && value != "0";
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::regex pattern(const std::string &source) {
  std::string s = source;
  replace_all(s, "R_LIT", R"('((?:[^']|'')*)')");
  replace_all(s, "R_NAME", R"((?:'([^']*)'|([A-Za-z0-9_.-]+)))");
  return std::regex("^\\s*" + s + "\\s*$", std::regex::ECMAScript | std::regex::icase);
}

bool matches(const std::string &line, const std::regex &re, std::smatch &m) { return std::regex_match(line, m, re); }

std::string literal(const std::smatch &m, size_t group) {
  std::string body = m[group].str();
  replace_all(body, "''", "'");
  return body;
}

std::string name_of(const std::smatch &m, size_t group) {
  return m[group].matched ? m[group].str() : m[group + 1].str();
}

std::optional<Value> parse_operand(const std::string &text) {
  static const std::regex variable = pattern(R"(\$([A-Za-z_][A-Za-z0-9_]*))");
  static const std::regex quoted = pattern("R_LIT");
  static const std::regex integer = pattern(R"((-?[0-9]+))");
  std::smatch m;
  if (matches(text, variable, m)) return [name = lower(m[1].str())](Session &s) { return s.get(name); };
  if (matches(text, quoted, m)) return [value = literal(m, 1)](Session &) { return value; };
  if (matches(text, integer, m)) return [value = m[1].str()](Session &) { return value; };
  return std::nullopt;
}

std::optional<Condition> parse_condition(const std::string &text) {
  static const std::regex comparison = pattern(R"((\S+)\s+-(eq|ne)\s+(\S+|R_LIT))");
  static const std::regex negation = pattern(R"(-not\s*\((.*)\))");
  static const std::regex variable = pattern(R"(\$([A-Za-z_][A-Za-z0-9_]*))");
  std::smatch m;
  if (matches(text, comparison, m)) {
    auto a = parse_operand(m[1].str()), b = parse_operand(m[3].str());
    if (!a || !b) return std::nullopt;
    const bool want_equal = lower(m[2].str()) == "eq";
    return [a = *a, b = *b, want_equal](Session &s) { return equal(a(s), b(s)) == want_equal; };
  }
  if (matches(text, negation, m)) {
    // Only -not (Test-Path ...), as the contract lists.
    auto inner = parse_file_condition(m[1].str());
    if (!inner) return std::nullopt;
    return [inner = *inner](Session &s) { return !inner(s); };
  }
  if (matches(text, variable, m)) return [name = lower(m[1].str())](Session &s) { return truthy(s.get(name)); };
  return parse_file_condition(text);
}

std::optional<Value> parse_value(const std::string &text) {
  static const std::regex quoted = pattern("R_LIT");
  std::smatch m;
  if (matches(text, quoted, m)) return [value = literal(m, 1)](Session &) { return value; };
  if (auto v = parse_file_value(text)) return v;
  return parse_service_value(text);
}

}  // namespace kuphost::sandbox::sim::ps
