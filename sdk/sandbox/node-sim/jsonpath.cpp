// Parsing and executing a template: client-go's JSONPath.Parse, Execute,
// FindResults (which expands {range}) and PrintResults.
#include "jsonpath.h"

#include "jsonpath_eval.h"
#include "jsonpath_nodes.h"

namespace kuphost::sandbox::sim {
namespace jsonpath {

std::vector<Values> Evaluator::find_results(const Json *data, std::span<const Node> nodes, std::string *error) {
  const Values current{data};
  std::vector<Values> full_result;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Values results = walk(current, nodes[i], error);
    if (!error->empty()) return {};

    // An {end}: this range body is done.
    if (end_range_ > 0 && end_range_ <= in_range_) {
      --end_range_;
      last_end_node_ = &nodes[i];
      break;
    }
    // A {range}: the rest of the template runs once per value, up to its {end}.
    if (begin_range_ > 0) {
      --begin_range_;
      ++in_range_;
      if (results.empty()) {
        // Run the body once anyway, without a value, to find its {end}.
        find_results(nullptr, nodes.subspan(i + 1), error);
        if (!error->empty()) return {};
      }
      for (const Json *value : results) {
        // Go re-wraps the value: a null becomes the invalid value.
        const Json *item = value && !value->is_null() ? value : nullptr;
        std::vector<Values> body = find_results(item, nodes.subspan(i + 1), error);
        if (!error->empty()) return {};
        full_result.insert(full_result.end(), body.begin(), body.end());
      }
      --in_range_;
      // Resume after the {end} the body stopped at (if it had one).
      for (size_t k = i + 1; k < nodes.size(); ++k)
        if (&nodes[k] == last_end_node_) {
          i = k;
          break;
        }
      continue;
    }
    full_result.push_back(std::move(results));
  }
  return full_result;
}

namespace {

// evalToText: fmt.Fprint of a scalar.
std::string text_of(const Json *value) {
  if (!value) return "<no value>";
  if (value->is_null()) return "<nil>";
  if (const std::string *s = value->as_string()) return *s;
  if (const int64_t *i = value->as_int()) return std::to_string(*i);
  if (const bool *b = value->as_bool()) return *b ? "true" : "false";
  return value->dump_compact_sorted();  // maps and lists: json.Marshal
}

// PrintResults: one piece's values, space-separated.
void print_results(std::string &out, const Values &results) {
  for (size_t i = 0; i < results.size(); ++i) {
    if (i) out += ' ';
    out += text_of(results[i]);
  }
}

}  // namespace
}  // namespace jsonpath

std::optional<JsonPath> JsonPath::parse(const std::string &text, std::string *error) {
  try {
    return JsonPath(std::make_shared<const jsonpath::Node>(jsonpath::parse_template(text)));
  } catch (const jsonpath::ParseError &e) {
    *error = e.what();
    return std::nullopt;
  }
}

std::optional<std::string> JsonPath::execute(const Json &data, bool allow_missing_keys, std::string *error) const {
  jsonpath::Evaluator evaluator(allow_missing_keys);
  error->clear();
  const auto pieces = evaluator.find_results(&data, root_->children, error);
  if (!error->empty()) return std::nullopt;
  std::string out;
  for (const auto &values : pieces) jsonpath::print_results(out, values);
  return out;
}

}  // namespace kuphost::sandbox::sim
