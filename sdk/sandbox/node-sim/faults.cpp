#include "faults.h"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "fs_util.h"
#include "node_state.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

struct FaultRule {
  std::string match;
  int after = 0, times = 0;
  FaultAction action;
  bool has_exit = false;
};

std::vector<FaultRule> parse_rules(const std::string &text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(std::string("faults.yaml: ") + e.what());
  }
  if (root.IsMap() && root["faults"]) root = root["faults"];
  std::vector<FaultRule> rules;
  if (root.IsNull()) return rules;
  if (!root.IsSequence()) throw std::runtime_error("faults.yaml: expected a list of faults");
  try {
    for (const auto &entry : root) {
      FaultRule rule;
      rule.match = detail::required_string(entry, "match", "faults.yaml entry");
      rule.after = entry["after"].as<int>(0);
      rule.times = entry["times"].as<int>(0);
      rule.has_exit = static_cast<bool>(entry["exit"]);
      rule.action.exit_code = entry["exit"].as<int>(1);
      rule.action.err = entry["stderr"].as<std::string>("");
      rule.action.out = entry["stdout"].as<std::string>("");
      rule.action.hang_seconds = entry["hang_seconds"].as<int>(0);
      // A hang alone delays the command; anything else makes it fail.
      rule.action.fail = rule.has_exit || rule.action.hang_seconds == 0;
      rules.push_back(std::move(rule));
    }
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(std::string("faults.yaml: ") + e.what());
  }
  return rules;
}

void print_text(std::ostream &os, const std::string &text) {
  if (text.empty()) return;
  os << text;
  if (text.back() != '\n') os << '\n';
}

}  // namespace

std::optional<FaultAction> due_fault(const Invocation &inv) {
  const fs::path dir = detail::node_state_dir(inv.root);
  const auto text = detail::read_file_if_exists(dir / "faults.yaml");
  if (!text) return std::nullopt;
  const auto rules = parse_rules(*text);
  const std::string line = inv.command_line();

  detail::FileLock lock(dir / "faults.lock");
  const fs::path counts_path = dir / "fault-calls.yaml";
  YAML::Node counts = YAML::Load(detail::read_file_if_exists(counts_path).value_or("{}"));
  if (!counts.IsMap()) counts = YAML::Node(YAML::NodeType::Map);
  std::optional<FaultAction> due;
  for (size_t i = 0; i < rules.size(); ++i) {
    const FaultRule &rule = rules[i];
    if (line.rfind(rule.match, 0) != 0) continue;
    const std::string key = std::to_string(i) + ":" + rule.match;
    const int call = counts[key].as<int>(0) + 1;  // 1-based number of this matching call
    counts[key] = call;
    const bool in_window = call > rule.after && (rule.times == 0 || call <= rule.after + rule.times);
    if (!due && in_window) due = rule.action;
  }
  detail::write_file_atomic(counts_path, detail::emit_yaml(counts), 0644);
  return due;
}

std::optional<int> perform_fault(const FaultAction &fault, Invocation &inv) {
  if (fault.hang_seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(fault.hang_seconds));
  if (!fault.fail) return std::nullopt;
  print_text(inv.out, fault.out);
  print_text(inv.err, fault.err);
  return fault.exit_code;
}

}  // namespace kuphost::sandbox::sim
