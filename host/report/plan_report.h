// Renders a plan (composition + each phase's steps) as text, JSON or YAML;
// the three carry the same content.
#pragma once

#include <string>

#include "compose/composer.h"
#include "facts/node_facts.h"
#include "report/value.h"
#include "run/executor.h"

namespace kuphost {

// The node header and the ordered phase table with reasons; no steps.
// Deterministic for a given composition (golden tests use it).
std::string composition_text(const Composition &c, const NodeFacts &facts);

std::string plan_text(const NodeFacts &facts, const std::string &target, const PlanResult &plan);
Value plan_value(const NodeFacts &facts, const std::string &target, const PlanResult &plan);
Value node_value(const NodeFacts &facts);

std::string apply_text(const ApplyResult &result, const NodeFacts &facts, bool dry_run);
Value apply_value(const ApplyResult &result, const NodeFacts &facts, bool dry_run);

}  // namespace kuphost
