#include "calico_compat.h"

#include <algorithm>

#include <kuphost/kuphost.hpp>

#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

// "1.35" -> 35 (major must be 1); "3.33" -> 33 (major must be 3); -1 otherwise.
int minor_of(std::string_view text, int major) {
  text = trim(text);
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || text.substr(0, dot) != std::to_string(major)) return -1;
  const std::string_view minor = text.substr(dot + 1);
  if (minor.empty() || minor.size() > 3) return -1;
  int value = 0;
  for (char c : minor) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

[[noreturn]] void refuse_extension(std::string_view whole, std::string_view entry) {
  throw kup::Error(KUP_E_INVALID_CONFIG,
                   "cni-calico.tested-kubernetes is '" + std::string(whole) + "': '" + std::string(trim(entry)) +
                       "' is not CALICO=LOWEST-HIGHEST; write entries such as 3.33=1.35-1.37, separated by commas");
}

}  // namespace

std::string TestedRange::kubernetes() const {
  return "v1." + std::to_string(lowest) + " to v1." + std::to_string(highest);
}
std::string TestedRange::compact() const {
  return "v1." + std::to_string(lowest) + "-v1." + std::to_string(highest);
}

CompatTable::CompatTable()
    : rows_{{25, 23, 27}, {26, 24, 28}, {27, 27, 29}, {28, 27, 30},
            {29, 29, 32}, {30, 31, 35}, {31, 32, 35}, {32, 34, 36}} {}

CompatTable CompatTable::with_extension(std::string_view extension) {
  CompatTable table;
  std::string_view rest = trim(extension);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view entry = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (trim(entry).empty()) continue;
    const auto equals = entry.find('=');
    const auto dash = entry.find('-', equals == std::string_view::npos ? 0 : equals);
    if (equals == std::string_view::npos || dash == std::string_view::npos) refuse_extension(extension, entry);
    TestedRange row{minor_of(entry.substr(0, equals), 3), minor_of(entry.substr(equals + 1, dash - equals - 1), 1),
                    minor_of(entry.substr(dash + 1), 1)};
    if (row.calico_minor < 0 || row.lowest < 0 || row.highest < row.lowest) refuse_extension(extension, entry);
    auto same = std::find_if(table.rows_.begin(), table.rows_.end(),
                             [&](const TestedRange &r) { return r.calico_minor == row.calico_minor; });
    if (same != table.rows_.end()) *same = row;
    else table.rows_.push_back(row);
  }
  std::sort(table.rows_.begin(), table.rows_.end(),
            [](const TestedRange &a, const TestedRange &b) { return a.calico_minor < b.calico_minor; });
  return table;
}

std::optional<TestedRange> CompatTable::range_for(const KubeVersion &calico) const {
  if (calico.major != 3) return std::nullopt;
  for (const auto &row : rows_)
    if (row.calico_minor == calico.minor) return row;
  return std::nullopt;
}

std::vector<TestedRange> CompatTable::tested_with(int kube_minor) const {
  std::vector<TestedRange> out;
  for (const auto &row : rows_)
    if (kube_minor >= row.lowest && kube_minor <= row.highest) out.push_back(row);
  return out;
}

std::optional<CompatTable::Untested> CompatTable::untested(const KubeVersion &calico, const KubeVersion &target) const {
  std::vector<std::string> alternatives;
  for (const auto &row : tested_with(target.minor))
    alternatives.push_back("v3." + std::to_string(row.calico_minor) + " (" + row.compact() + ")");
  const std::string others =
      alternatives.empty()
          ? "no Calico release in the table is tested with " + target.minor_str() +
                "; add one with cni-calico.tested-kubernetes"
          : "Calico releases tested with " + target.minor_str() + ": " + join(alternatives, ", ");
  const auto range = range_for(calico);
  const bool has_alternatives = !alternatives.empty();
  if (!range)
    return Untested{"Calico " + calico.str() + " is not in kuphost's table of tested Kubernetes versions (add it "
                    "with cni-calico.tested-kubernetes, e.g. 3." + std::to_string(calico.minor) + "=1." +
                    std::to_string(target.minor) + "-1." + std::to_string(target.minor) + "); " + others,
                    has_alternatives};
  if (target.major == 1 && target.minor >= range->lowest && target.minor <= range->highest) return std::nullopt;
  return Untested{"Calico " + calico.str() + " is tested with Kubernetes " + range->kubernetes() +
                      ", not the target " + target.minor_str() + "; " + others,
                  has_alternatives};
}

}  // namespace kuphost_plugins::cni_calico
