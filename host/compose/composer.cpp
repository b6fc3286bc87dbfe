#include "compose/composer.h"

#include <algorithm>
#include <optional>
#include <queue>

#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace {

std::string mask_names(uint32_t mask, const std::vector<std::pair<uint32_t, const char *>> &names) {
  std::vector<std::string> out;
  for (const auto &[bit, name] : names)
    if (mask & bit) out.push_back(name);
  return join(out, ", ");
}

// Data-only applicability: nullopt if it applies (with `why` filled), else
// the reason it does not.
std::optional<std::string> data_mismatch(const PhaseInfo &p, const NodeFacts &f, std::string *why) {
  std::vector<std::string> reasons;
  if (p.distro_families) {
    if (!(p.distro_families & f.family_mask))
      return "distro family " + f.family + "; the phase is for " + describe_families(p.distro_families);
    reasons.push_back(f.family + " family");
  }
  if (p.roles) {
    if (!(p.roles & f.role_mask()))
      return "role " + role_name(f.role) + "; the phase is for " + describe_roles(p.roles);
    reasons.push_back(role_name(f.role));
  }
  if (p.etcd_topologies) {
    if (!(p.etcd_topologies & f.etcd_mask))
      return "etcd " + f.etcd_name() + "; the phase needs " + describe_etcd(p.etcd_topologies) + " etcd";
    reasons.push_back(f.etcd_name() + " etcd");
  }
  *why = reasons.empty() ? "every node" : join(reasons, "; ");
  return std::nullopt;
}

bool hint_matches(const std::string &hint, const PhaseInfo &p) {
  return hint == p.plugin || hint == p.qualified_id();
}

// Orders the phases of one stage: hints first, then `order`, then selection
// order, then declaration order (a stable, deterministic topological sort).
std::vector<PlannedPhase> order_stage(std::vector<PlannedPhase> stage,
                                      const std::map<const LoadedPlugin *, size_t> &rank) {
  const size_t n = stage.size();
  std::vector<std::vector<size_t>> succ(n);
  std::vector<size_t> indegree(n, 0);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const bool a_before_b =
          std::any_of(stage[b].phase->after.begin(), stage[b].phase->after.end(),
                      [&](const std::string &h) { return hint_matches(h, *stage[a].phase); }) ||
          std::any_of(stage[a].phase->before.begin(), stage[a].phase->before.end(),
                      [&](const std::string &h) { return hint_matches(h, *stage[b].phase); });
      if (a_before_b) {
        succ[a].push_back(b);
        ++indegree[b];
      }
    }
  }
  auto key = [&](size_t i) {
    const auto &p = *stage[i].phase;
    const auto &phases = stage[i].plugin->phases;
    const size_t decl = static_cast<size_t>(&p - phases.data());
    return std::make_tuple(p.order, rank.at(stage[i].plugin), decl);
  };
  auto later = [&](size_t a, size_t b) { return key(a) > key(b); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> ready(later);
  for (size_t i = 0; i < n; ++i)
    if (!indegree[i]) ready.push(i);
  std::vector<PlannedPhase> out;
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    out.push_back(stage[i]);
    for (size_t s : succ[i])
      if (--indegree[s] == 0) ready.push(s);
  }
  if (out.size() != n) {
    std::vector<std::string> stuck;
    for (size_t i = 0; i < n; ++i)
      if (indegree[i]) stuck.push_back(stage[i].phase->qualified_id());
    fail_plugin("the ordering hints of phases " + join(stuck, ", ") + " form a cycle in stage " +
                stage_name(stage.front().phase->stage) + "; fix their after/before lists");
  }
  return out;
}

}  // namespace

const char *stage_name(kup_stage stage) {
  switch (stage) {
    case KUP_STAGE_PREFLIGHT: return "preflight";
    case KUP_STAGE_BACKUP: return "backup";
    case KUP_STAGE_REPOSITORIES: return "repositories";
    case KUP_STAGE_KUBEADM_PACKAGE: return "kubeadm-package";
    case KUP_STAGE_CONTROL_PLANE: return "control-plane";
    case KUP_STAGE_ADDONS_CNI: return "addons";
    case KUP_STAGE_DRAIN: return "drain";
    case KUP_STAGE_NODE_PACKAGES: return "node-packages";
    case KUP_STAGE_KUBELET_RESTART: return "kubelet-restart";
    case KUP_STAGE_UNCORDON: return "uncordon";
    case KUP_STAGE_VERIFY: return "verify";
    default: return "unknown";
  }
}

std::string describe_families(uint32_t mask) {
  return mask_names(mask, {{KUP_DISTRO_DEBIAN, "debian"}, {KUP_DISTRO_RHEL, "rhel"},
                           {KUP_DISTRO_SUSE, "suse"}, {KUP_DISTRO_WINDOWS, "windows"}});
}

std::string describe_roles(uint32_t mask) {
  return mask_names(mask, {{KUP_ROLE_FIRST_CONTROL_PLANE, "first-control-plane"},
                           {KUP_ROLE_OTHER_CONTROL_PLANE, "other-control-plane"},
                           {KUP_ROLE_WORKER, "worker"}});
}

std::string describe_etcd(uint32_t mask) {
  return mask_names(mask, {{KUP_ETCD_STACKED, "stacked"}, {KUP_ETCD_EXTERNAL, "external"}});
}

Composition compose(const std::vector<const LoadedPlugin *> &selected, const NodeFacts &facts,
                    const std::set<std::string> &explicitly_requested) {
  Composition c;
  std::map<const LoadedPlugin *, size_t> rank;
  struct Candidate {
    PlannedPhase planned;
    bool data_ok = false;
    std::string mismatch;
  };
  std::vector<Candidate> candidates;
  std::set<const LoadedPlugin *> applicable;
  for (const LoadedPlugin *p : selected) {
    rank[p] = c.plugins.size();
    c.plugins.push_back(p);
    for (const auto &ph : p->phases) {
      Candidate cand;
      cand.planned.phase = &ph;
      cand.planned.plugin = p;
      if (auto why_not = data_mismatch(ph, facts, &cand.planned.why)) {
        cand.mismatch = *why_not;
      } else {
        cand.data_ok = true;
        applicable.insert(p);
      }
      candidates.push_back(cand);
    }
    if (p->phases.empty()) applicable.insert(p);
    // A plugin for another distro family is a mistake worth stopping for
    // (`--plugins apt` on RHEL); one for another role is not: operators pass
    // the same list on every node of a cluster.
    const bool family_fits = p->phases.empty() ||
                             std::any_of(p->phases.begin(), p->phases.end(), [&](const PhaseInfo &ph) {
                               return !ph.distro_families || (ph.distro_families & facts.family_mask);
                             });
    if (!family_fits && explicitly_requested.count(p->id)) {
      uint32_t families = 0;
      for (const auto &ph : p->phases) families |= ph.distro_families;
      fail_input("plugin " + p->id + " does not apply to this node: it is for " +
                 describe_families(families) + " nodes and this node's distro family is " + facts.family +
                 "; remove it from --plugins");
    }
  }
  // Extensions are served by the first applicable selected plugin.
  for (const LoadedPlugin *p : c.plugins)
    if (applicable.count(p))
      for (const auto &ext : p->extensions) c.extension_providers.emplace(ext, p);

  std::vector<std::vector<PlannedPhase>> stages(KUP_STAGE_COUNT_V1_0);
  for (auto &cand : candidates) {
    const PhaseInfo &ph = *cand.planned.phase;
    if (!cand.data_ok) {
      c.left_out.push_back({&ph, cand.mismatch});
      continue;
    }
    if (!ph.requires_extension.empty()) {
      auto it = c.extension_providers.find(ph.requires_extension);
      if (it == c.extension_providers.end()) {
        std::vector<std::string> offered;
        for (const LoadedPlugin *p : c.plugins)
          if (p->provides_extension(ph.requires_extension)) offered.push_back(p->id);
        c.left_out.push_back(
            {&ph, "needs " + ph.requires_extension + ", which no selected plugin serves on this node" +
                      (offered.empty() ? std::string() : " (" + join(offered, ", ") + " do not apply here)")});
        continue;
      }
      cand.planned.why += "; " + ph.requires_extension + " from " + it->second->id;
    }
    stages[ph.stage].push_back(cand.planned);
  }
  for (auto &stage : stages) {
    if (stage.empty()) continue;
    for (auto &pp : order_stage(std::move(stage), rank)) c.phases.push_back(pp);
  }
  return c;
}

}  // namespace kuphost
