//===- support/settings.hpp - typed reads of a plugin's config keys -------===//
//
// The host has already checked each value against the declared type; these
// readers still refuse what they cannot use, naming the key, so that a bad
// value never turns into a silent default.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_SETTINGS_HPP
#define KUPHOST_PLUGINS_SUPPORT_SETTINGS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/text.hpp"

namespace kuphost_plugins {

// "300s", "5m", "12h", "180d", "500ms" -> milliseconds; nullopt otherwise.
inline std::optional<uint64_t> parse_duration_ms(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  uint64_t value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (value > UINT64_MAX / 10 / 1000 / 86400) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  if (unit == "ms") return value;
  if (unit == "s") return value * 1000;
  if (unit == "m") return value * 60 * 1000;
  if (unit == "h") return value * 3600 * 1000;
  if (unit == "d") return value * 86400 * 1000;
  return std::nullopt;
}

// Seconds as a Go duration ("300s"), which kubectl's --timeout flags accept
// for every unit kuphost accepts (Go durations have no "d").
inline std::string go_duration(uint64_t ms) { return std::to_string((ms + 999) / 1000) + "s"; }

// Typed access to the calling plugin's section; `section` is the plugin id
// as the operator writes it in kuphost.yaml, for messages.
class Settings {
 public:
  Settings(const kup::Host &host, std::string section) : host_(host), section_(std::move(section)) {}

  std::string text(std::string_view key) const { return host_.config(key).value_or(""); }

  bool flag(std::string_view key, bool fallback) const {
    const auto v = host_.config(key);
    if (!v || trim(*v).empty()) return fallback;
    if (trim(*v) == "true") return true;
    if (trim(*v) == "false") return false;
    throw invalid(key, *v, "true or false");
  }

  uint64_t duration_ms(std::string_view key, std::string_view fallback) const {
    const std::string v = host_.config(key).value_or(std::string(fallback));
    if (const auto ms = parse_duration_ms(v)) return *ms;
    throw invalid(key, v, "a duration such as 30s, 5m, 12h or 180d");
  }

  long integer(std::string_view key, long fallback) const {
    const auto v = host_.config(key);
    if (!v || trim(*v).empty()) return fallback;
    try {
      size_t used = 0;
      const long n = std::stol(std::string(trim(*v)), &used);
      if (used == trim(*v).size()) return n;
    } catch (const std::exception &) {
    }
    throw invalid(key, *v, "an integer");
  }

  // A list key arrives as YAML text ("- a\n- b\n" or "[a, b]"); this reads
  // the flat sequences of scalars a list key holds, which is all the host
  // lets through for KUP_CONFIG_LIST.
  std::vector<std::string> list(std::string_view key) const {
    std::string v = host_.config(key).value_or("");
    std::vector<std::string> items;
    std::string_view body = trim(v);
    if (body.empty()) return items;
    auto unquote = [](std::string_view s) {
      s = trim(s);
      if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        s = s.substr(1, s.size() - 2);
      return std::string(s);
    };
    if (body.front() == '[' && body.back() == ']') {
      body = body.substr(1, body.size() - 2);
      while (!body.empty()) {
        const auto comma = body.find(',');
        if (auto item = unquote(body.substr(0, comma)); !item.empty()) items.push_back(item);
        if (comma == std::string_view::npos) break;
        body.remove_prefix(comma + 1);
      }
      return items;
    }
    for (const auto &line : lines_of(body)) {
      std::string_view l = trim(line);
      if (l.empty()) continue;
      if (l.front() != '-') throw invalid(key, v, "a list of strings");
      if (auto item = unquote(l.substr(1)); !item.empty()) items.push_back(item);
    }
    return items;
  }

 private:
  kup::Error invalid(std::string_view key, std::string_view value, std::string_view expected) const {
    return kup::Error(KUP_E_INVALID_CONFIG, section_ + "." + std::string(key) + " is '" + std::string(value) +
                                                "'; it must be " + std::string(expected));
  }
  kup::Host host_;
  std::string section_;
};

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_SETTINGS_HPP
