#include "go_text.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace kuphost_plugins::certs {
namespace {

constexpr std::size_t kMinWidth = 10, kPadding = 3;

std::tm utc(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::vector<std::string> split_cells(const std::string &line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    cells.push_back(line.substr(start, tab - start));
  cells.push_back(line.substr(start));
  return cells;
}

// Go's tabwriter counts runes, not bytes.
std::size_t rune_count(const std::string &s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

int64_t residual_seconds(int64_t not_after_unix, int64_t now_unix_ms) {
  return (not_after_unix * 1000 - now_unix_ms) / 1000;  // C++ division truncates toward zero, as Go's does
}

std::string short_human_duration(int64_t seconds) {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (const int64_t minutes = seconds / 60; minutes < 60) return std::to_string(minutes) + "m";
  const int64_t hours = seconds / 3600;
  if (hours < 24) return std::to_string(hours) + "h";
  if (hours < 24 * 365) return std::to_string(hours / 24) + "d";
  // Go: int(d.Hours()/24/365), floating point.
  return std::to_string(static_cast<int64_t>(static_cast<double>(seconds) / 3600.0 / 24 / 365)) + "y";
}

std::string go_expiry_time(int64_t unix_seconds) {
  // Go's month names, independent of the process's locale.
  static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = utc(unix_seconds);
  char text[64];
  std::snprintf(text, sizeof text, "%s %02d, %d %02d:%02d UTC", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
                tm.tm_hour, tm.tm_min);
  return text;
}

std::string rfc3339_utc(int64_t unix_seconds) {
  const std::tm tm = utc(unix_seconds);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

std::vector<std::string> tab_layout(const std::vector<std::string> &lines) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> widths;
  for (const auto &line : lines) {
    rows.push_back(split_cells(line));
    const auto &cells = rows.back();
    for (std::size_t i = 0; i + 1 < cells.size(); ++i) {  // the last cell is no column
      if (widths.size() <= i) widths.push_back(kMinWidth);
      widths[i] = std::max(widths[i], rune_count(cells[i]) + kPadding);
    }
  }
  std::vector<std::string> out;
  for (const auto &cells : rows) {
    std::string text;
    for (std::size_t i = 0; i + 1 < cells.size(); ++i)
      text += cells[i] + std::string(widths[i] - rune_count(cells[i]), ' ');  // empty cells are padded too
    out.push_back(text + cells.back());
  }
  return out;
}

}  // namespace kuphost_plugins::certs
