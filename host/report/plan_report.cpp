#include "report/plan_report.h"

#include <algorithm>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "support/strings.h"

namespace kuphost {
namespace {

std::string version_or(const std::optional<Version> &v, const char *fallback = "unknown") {
  return v ? v->str() : fallback;
}

std::string pad(const std::string &s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

void node_header(std::ostringstream &out, const NodeFacts &f) {
  out << "Node " << f.node_name << ": "
      << (f.os_pretty_name.empty() ? f.os_id + " " + f.os_version_id : f.os_pretty_name) << " ("
      << f.family << " family, " << f.arch << ")\n";
  out << "  role: " << role_name(f.role) << " (" << f.role_source << ")\n";
  out << "  etcd: " << f.etcd_name() << " (" << f.etcd_source << ")\n";
}

struct Row {
  std::string index, stage, id, plugin, why;
};

void phase_table(std::ostringstream &out, const std::vector<Row> &rows,
                 const std::vector<std::vector<std::string>> *steps,
                 const std::vector<std::string> *errors) {
  size_t w_stage = 5, w_id = 5, w_plugin = 6;
  for (const auto &r : rows) {
    w_stage = std::max(w_stage, r.stage.size());
    w_id = std::max(w_id, r.id.size());
    w_plugin = std::max(w_plugin, r.plugin.size());
  }
  out << "  " << pad("#", 4) << pad("STAGE", w_stage + 2) << pad("PHASE", w_id + 2)
      << pad("PLUGIN", w_plugin + 2) << "WHY\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto &r = rows[i];
    out << "  " << pad(r.index, 4) << pad(r.stage, w_stage + 2) << pad(r.id, w_id + 2)
        << pad(r.plugin, w_plugin + 2) << r.why << "\n";
    if (steps)
      for (const auto &s : (*steps)[i]) out << "      - " << s << "\n";
    if (errors && !(*errors)[i].empty()) out << "      ! plan failed: " << (*errors)[i] << "\n";
  }
}

void left_out_table(std::ostringstream &out, const std::vector<LeftOutPhase> &left_out) {
  out << "\nLeft out (" << left_out.size() << "):\n";
  size_t w = 5;
  for (const auto &l : left_out) w = std::max(w, l.phase->qualified_id().size());
  for (const auto &l : left_out) out << "  " << pad(l.phase->qualified_id(), w + 2) << l.why << "\n";
}

// The kubeadm plugin's component table (plugins/kubeadm/plan_table.h),
// handed over in the shared run state; absent when the plugin gave none.
constexpr const char *kPlanTableKey = "plan/upgrade-table";

std::optional<YAML::Node> upgrade_table(const PlanResult &plan) {
  const auto it = plan.shared_state.find(kPlanTableKey);
  if (it == plan.shared_state.end()) return std::nullopt;
  try {
    YAML::Node table = YAML::Load(it->second);
    if (table.IsMap()) return table;
  } catch (const YAML::Exception &) {
  }
  return std::nullopt;
}

std::string text_of(const YAML::Node &n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

// Scalars stay strings: versions such as "3.5.15-0" must not turn into numbers.
Value to_value(const YAML::Node &n) {
  if (!n || n.IsNull()) return Value();
  if (n.IsScalar()) return Value(n.as<std::string>());
  if (n.IsSequence()) {
    Value::List list;
    for (const auto &item : n) list.push_back(to_value(item));
    return Value(std::move(list));
  }
  Value::Map map;
  for (const auto &kv : n) map.emplace_back(kv.first.as<std::string>(), to_value(kv.second));
  return Value(std::move(map));
}

// COMPONENT NODE CURRENT TARGET, as `kubeadm upgrade plan` prints it.
void component_rows(std::ostringstream &out, const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> width{9, 4, 7};
  for (const auto &r : rows)
    for (size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], r[i].size());
  out << "  " << pad("COMPONENT", width[0] + 3) << pad("NODE", width[1] + 3) << pad("CURRENT", width[2] + 3)
      << "TARGET\n";
  for (const auto &r : rows)
    out << "  " << pad(r[0], width[0] + 3) << pad(r[1], width[1] + 3) << pad(r[2], width[2] + 3) << r[3] << "\n";
}

void upgrade_table_text(std::ostringstream &out, const YAML::Node &t) {
  out << "[upgrade/versions] Cluster version: " << text_of(t["clusterVersion"]);
  if (!text_of(t["clusterVersionSource"]).empty()) out << " (" << text_of(t["clusterVersionSource"]) << ")";
  out << "\n[upgrade/versions] kubeadm version: " << text_of(t["kubeadmVersion"]) << "\n";
  const std::string target = text_of(t["target"]);
  if (target.empty()) {
    out << "[upgrade/versions] Target version: not given\n\n";
    return;
  }
  out << "[upgrade/versions] Target version: " << target << "\n";
  if (text_of(t["source"]) != "API server") out << "[upgrade/versions] From " << text_of(t["source"]) << "\n";
  std::vector<std::vector<std::string>> kubelets;
  for (const auto &k : t["kubelets"])
    kubelets.push_back({"kubelet", text_of(k["node"]), text_of(k["current"]), text_of(k["target"])});
  out << "\nThe kubelets still to upgrade (" << kubelets.size() << "), each with `kuphost apply " << target
      << "` on its node:\n";
  if (kubelets.empty()) out << "  none: every kubelet is at " << target << "\n";
  else component_rows(out, kubelets);
  std::vector<std::vector<std::string>> components;
  for (const auto &c : t["components"])
    components.push_back({text_of(c["component"]), text_of(c["node"]), text_of(c["current"]), text_of(c["target"])});
  out << "\nControl plane and add-ons, upgraded by kubeadm upgrade apply|node:\n";
  if (components.empty()) out << "  none known (no control-plane node found)\n";
  else component_rows(out, components);
  out << "\n";
}

}  // namespace

std::string composition_text(const Composition &c, const NodeFacts &facts) {
  std::ostringstream out;
  node_header(out, facts);
  std::vector<std::string> ids;
  for (const auto *p : c.plugins) ids.push_back(p->id);
  out << "  plugins: " << join(ids, ", ") << "\n\n";
  out << "Phases that will run (" << c.phases.size() << "):\n";
  std::vector<Row> rows;
  for (size_t i = 0; i < c.phases.size(); ++i) {
    const auto &pp = c.phases[i];
    rows.push_back({std::to_string(i + 1), stage_name(pp.phase->stage), pp.phase->qualified_id(),
                    pp.plugin->id, pp.why});
  }
  phase_table(out, rows, nullptr, nullptr);
  left_out_table(out, c.left_out);
  return out.str();
}

std::string plan_text(const NodeFacts &f, const std::string &target, const PlanResult &plan) {
  std::ostringstream out;
  node_header(out, f);
  out << "  versions: control plane " << version_or(f.control_plane_version, "n/a") << ", kubeadm "
      << version_or(f.kubeadm_version) << ", kubelet " << version_or(f.kubelet_version) << ", kubectl "
      << version_or(f.kubectl_version) << "\n";
  out << "  target: " << (target.empty() ? "not given (pass a version to plan an upgrade)" : target) << "\n\n";
  if (const auto table = upgrade_table(plan)) upgrade_table_text(out, *table);
  out << "Phases that will run (" << plan.phases.size() << "):\n";
  std::vector<Row> rows;
  std::vector<std::vector<std::string>> steps;
  std::vector<std::string> errors;
  for (size_t i = 0; i < plan.phases.size(); ++i) {
    const auto &pp = *plan.phases[i].planned;
    rows.push_back({std::to_string(i + 1), stage_name(pp.phase->stage), pp.phase->qualified_id(),
                    pp.plugin->id, pp.why});
    steps.push_back(plan.phases[i].steps);
    errors.push_back(plan.phases[i].error);
  }
  phase_table(out, rows, &steps, &errors);
  left_out_table(out, plan.left_out);
  return out.str();
}

Value node_value(const NodeFacts &f) {
  Value::Map versions;
  auto add = [&](const char *k, const std::optional<Version> &v) {
    versions.emplace_back(k, v ? Value(v->str()) : Value());
  };
  add("controlPlane", f.control_plane_version);
  add("kubeadm", f.kubeadm_version);
  add("kubelet", f.kubelet_version);
  add("kubectl", f.kubectl_version);
  return Value(Value::Map{{"name", f.node_name},
                          {"os", Value::Map{{"id", f.os_id}, {"versionId", f.os_version_id},
                                            {"prettyName", f.os_pretty_name}, {"family", f.family}}},
                          {"arch", f.arch},
                          {"role", role_name(f.role)},
                          {"roleSource", f.role_source},
                          {"etcd", f.etcd_name()},
                          {"etcdSource", f.etcd_source},
                          {"sandbox", f.sandbox},
                          {"versions", Value(std::move(versions))}});
}

Value plan_value(const NodeFacts &f, const std::string &target, const PlanResult &plan) {
  Value::List phases;
  for (size_t i = 0; i < plan.phases.size(); ++i) {
    const auto &pp = *plan.phases[i].planned;
    Value::Map m{{"index", static_cast<int64_t>(i + 1)},
                 {"stage", stage_name(pp.phase->stage)},
                 {"id", pp.phase->qualified_id()},
                 {"plugin", pp.plugin->id},
                 {"title", pp.phase->title},
                 {"why", pp.why},
                 {"steps", Value::strings(plan.phases[i].steps)}};
    if (!plan.phases[i].error.empty()) m.emplace_back("error", plan.phases[i].error);
    phases.emplace_back(std::move(m));
  }
  Value::List left_out;
  for (const auto &l : plan.left_out)
    left_out.emplace_back(Value::Map{{"id", l.phase->qualified_id()}, {"plugin", l.phase->plugin}, {"why", l.why}});
  const auto table = upgrade_table(plan);
  return Value(Value::Map{{"kind", "Plan"},
                          {"node", node_value(f)},
                          {"target", target.empty() ? Value() : Value(target)},
                          {"upgrade", table ? to_value(*table) : Value()},
                          {"phases", Value(std::move(phases))},
                          {"leftOut", Value(std::move(left_out))}});
}

std::string apply_text(const ApplyResult &r, const NodeFacts &f, bool dry_run) {
  std::ostringstream out;
  size_t changed = 0, unchanged = 0, skipped = 0, failed = 0, rolled_back = 0;
  for (const auto &p : r.phases) {
    if (p.state == "applied") (p.outcome == "unchanged" ? unchanged : changed)++;
    else if (p.state == "skipped") ++skipped;
    else if (p.state == "failed" || p.state == "rollback-failed") ++failed;
    else if (p.state == "rolled-back") ++rolled_back;
  }
  if (dry_run) {
    out << "[dryrun] " << r.phases.size() << " phases checked on node " << f.node_name << " for "
        << r.target << "; " << r.would_change.size() << " changes would be made:\n";
    for (const auto &w : r.would_change) out << "  " << w << "\n";
    return out.str();
  }
  if (r.nothing_to_do) {
    out << "[upgrade/successful] Node " << f.node_name << " is already at " << r.target
        << " (run " << r.run_id << "); nothing changed.\n";
    return out.str();
  }
  for (const auto &p : r.phases)
    if (p.state == "applied" && !p.summary.empty()) out << "  " << p.id << ": " << p.summary << "\n";
  if (r.exit == ExitCode::kOk)
    out << "[upgrade/successful] Node " << f.node_name << " upgraded to " << r.target << ": " << changed
        << " phases changed, " << unchanged << " unchanged, " << skipped << " already done (run "
        << r.run_id << ").\n";
  else
    out << "[upgrade/failed] Node " << f.node_name << ": " << r.message << " (" << failed
        << " failed, " << rolled_back << " rolled back; run " << r.run_id << ").\n";
  return out.str();
}

Value apply_value(const ApplyResult &r, const NodeFacts &f, bool dry_run) {
  Value::List phases;
  for (const auto &p : r.phases)
    phases.emplace_back(Value::Map{{"id", p.id}, {"stage", p.stage}, {"state", p.state},
                                   {"outcome", p.outcome}, {"summary", p.summary}, {"error", p.error}});
  return Value(Value::Map{{"kind", dry_run ? "DryRun" : "ApplyResult"},
                          {"node", f.node_name},
                          {"target", r.target},
                          {"run", r.run_id},
                          {"exitCode", static_cast<int>(r.exit)},
                          {"message", r.message},
                          {"nothingToDo", r.nothing_to_do},
                          {"phases", Value(std::move(phases))},
                          {"wouldChange", Value::strings(r.would_change)}});
}

}  // namespace kuphost
