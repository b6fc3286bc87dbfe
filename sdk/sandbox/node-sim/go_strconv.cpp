#include "go_strconv.h"

namespace kuphost::sandbox::sim {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One escape of strconv.UnquoteChar after the backslash; false on bad syntax.
bool unquote_escape(std::string_view &rest, char quote, std::string &out) {
  if (rest.empty()) return false;
  const char c = rest[0];
  rest.remove_prefix(1);
  switch (c) {
    case 'a': out += '\a'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'v': out += '\v'; return true;
    case '\\': out += '\\'; return true;
    case '\'': case '"':
      if (c != quote) return false;
      out += c;
      return true;
    case 'x': case 'u': case 'U': {
      const size_t digits = c == 'x' ? 2 : (c == 'u' ? 4 : 8);
      if (rest.size() < digits) return false;
      char32_t value = 0;
      for (size_t i = 0; i < digits; ++i) {
        const int h = hex_value(rest[i]);
        if (h < 0) return false;
        value = value << 4 | static_cast<char32_t>(h);
      }
      rest.remove_prefix(digits);
      if (c == 'x') {
        out += static_cast<char>(value);  // a single byte, maybe not UTF-8
        return true;
      }
      if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return false;
      append_utf8(out, value);
      return true;
    }
    default:
      if (c < '0' || c > '7' || rest.size() < 2) return false;
      unsigned value = static_cast<unsigned>(c - '0');
      for (size_t i = 0; i < 2; ++i) {
        if (rest[i] < '0' || rest[i] > '7') return false;
        value = value << 3 | static_cast<unsigned>(rest[i] - '0');
      }
      rest.remove_prefix(2);
      if (value > 255) return false;
      out += static_cast<char>(value);
      return true;
  }
}

}  // namespace

bool go_atoi(std::string_view text, int64_t *value) {
  if (text.empty()) return false;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  uint64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (magnitude > (uint64_t{1} << 63) / 10) return false;
    magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  }
  if (magnitude > (negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) return false;
  *value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

bool go_unquote_extended(std::string_view quoted, std::string *out) {
  if (quoted.size() < 2) return false;
  const char quote = quoted.front();
  if (quote != quoted.back() || (quote != '"' && quote != '\'')) return false;
  std::string_view rest = quoted.substr(1, quoted.size() - 2);
  while (!rest.empty()) {
    const char c = rest[0];
    if (c == quote) return false;
    rest.remove_prefix(1);
    if (c != '\\') {
      *out += c;
    } else if (!unquote_escape(rest, quote, *out)) {
      return false;
    }
  }
  return true;
}

char32_t go_decode_rune(std::string_view s, size_t *width) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
  char32_t rune = length == 1 ? lead : length == 2 ? lead & 0x1f : length == 3 ? lead & 0x0f : lead & 0x07;
  for (size_t i = 1; i < length; ++i) {
    if (i >= s.size() || (byte(i) & 0xc0) != 0x80) {
      length = 0;
      break;
    }
    rune = rune << 6 | (byte(i) & 0x3f);
  }
  if (length == 0) {
    *width = 1;
    return 0xfffd;
  }
  *width = length;
  return rune;
}

void append_utf8(std::string &out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xc0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xe0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (r & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (r & 0x3f));
  }
}

}  // namespace kuphost::sandbox::sim
