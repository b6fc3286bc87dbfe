#include "go_format.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "go_strconv.h"

namespace kuphost::sandbox::sim {
namespace {

// A map's members in fmt's order: fmtsort sorts string keys bytewise.
std::vector<const std::pair<std::string, Json> *> sorted_members(const Json::Object &object) {
  std::vector<const std::pair<std::string, Json> *> members;
  for (const auto &member : object) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](auto *a, auto *b) { return a->first < b->first; });
  return members;
}

std::string scalar_text(const Json &value) {
  if (const bool *b = value.as_bool()) return *b ? "true" : "false";
  if (const int64_t *i = value.as_int()) return std::to_string(*i);
  return {};
}

void append_value(std::string &out, const Json &value) {
  if (value.is_null()) {
    out += "<nil>";
  } else if (const std::string *s = value.as_string()) {
    out += *s;
  } else if (const Json::Array *array = value.as_array()) {
    out += '[';
    for (size_t i = 0; i < array->size(); ++i) {
      if (i) out += ' ';
      append_value(out, (*array)[i]);
    }
    out += ']';
  } else if (const Json::Object *object = value.as_object()) {
    out += "map[";
    bool first = true;
    for (const auto *member : sorted_members(*object)) {
      if (!first) out += ' ';
      first = false;
      out += member->first + ":";
      append_value(out, member->second);
    }
    out += ']';
  } else {
    out += scalar_text(value);
  }
}

void append_syntax(std::string &out, const Json &value) {
  if (value.is_null()) {
    out += "interface {}(nil)";  // a nil element of a map or slice
  } else if (const std::string *s = value.as_string()) {
    out += go_quote(*s);
  } else if (const Json::Array *array = value.as_array()) {
    out += "[]interface {}{";
    for (size_t i = 0; i < array->size(); ++i) {
      if (i) out += ", ";
      append_syntax(out, (*array)[i]);
    }
    out += '}';
  } else if (const Json::Object *object = value.as_object()) {
    out += "map[string]interface {}{";
    bool first = true;
    for (const auto *member : sorted_members(*object)) {
      if (!first) out += ", ";
      first = false;
      out += go_quote(member->first) + ":";
      append_syntax(out, member->second);
    }
    out += '}';
  } else {
    out += scalar_text(value);
  }
}

}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string go_value(const Json &value) {
  std::string out;
  append_value(out, value);
  return out;
}

std::string go_syntax(const Json &value) {
  std::string out;
  append_syntax(out, value);
  return out;
}

std::string go_type_name(const Json &value) {
  if (value.as_object()) return "map[string]interface {}";
  if (value.as_array()) return "[]interface {}";
  if (value.as_string()) return "string";
  if (value.as_int()) return "int64";
  if (value.as_bool()) return "bool";
  return "interface {}";
}

std::string go_rune_description(char32_t rune) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(rune));
  std::string out = buf;
  // unicode.IsPrint for ASCII; other runes are assumed printable.
  const bool printable = rune >= 0x80 ? true : (rune >= 0x20 && rune < 0x7f);
  if (!printable) return out;
  std::string utf8;
  append_utf8(utf8, rune);
  return out + " '" + utf8 + "'";
}

}  // namespace kuphost::sandbox::sim
