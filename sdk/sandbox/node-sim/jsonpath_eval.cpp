// The steps of one action, ported from client-go's jsonpath.go evalXxx
// functions with their error texts and their early returns.
#include <functional>

#include "go_format.h"
#include "jsonpath.h"
#include "jsonpath_compare.h"
#include "jsonpath_eval.h"

namespace kuphost::sandbox::sim::jsonpath {
namespace {

// The members or elements a wildcard visits; a string's bytes, as Go's
// reflect indexes a string.
void append_children(const Json &value, Values &out, const std::function<const Json *(Json)> &keep) {
  if (const Json::Object *object = value.as_object()) {
    for (const auto &member : *object) out.push_back(&member.second);
  } else if (const Json::Array *array = value.as_array()) {
    for (const Json &element : *array) out.push_back(&element);
  } else if (const std::string *text = value.as_string()) {
    for (unsigned char byte : *text) out.push_back(keep(Json(static_cast<int64_t>(byte))));
  }
}

}  // namespace

const Json *Evaluator::keep(Json value) { return &made_.emplace_back(std::move(value)); }

Values Evaluator::walk(const Values &input, const Node &node, std::string *error) {
  switch (node.kind) {
    case Node::Kind::kList: return eval_list(input, node, error);
    case Node::Kind::kText: return {keep(Json(node.text))};
    case Node::Kind::kField: return eval_field(input, node, error);
    case Node::Kind::kArray: return eval_array(input, node, error);
    case Node::Kind::kFilter: return eval_filter(input, node, error);
    case Node::Kind::kInt: return eval_literal(input, Json(node.integer));
    case Node::Kind::kBool: return eval_literal(input, Json(node.boolean));
    case Node::Kind::kWildcard: return eval_wildcard(input);
    case Node::Kind::kRecursive: return eval_recursive(input);
    case Node::Kind::kUnion: return eval_union(input, node, error);
    case Node::Kind::kIdentifier: return eval_identifier(input, node, error);
    case Node::Kind::kFloat:
      throw UnsimulatedJsonPath("the kuphost sandbox's kubectl does not evaluate floating-point numbers in jsonpath "
                                "templates (" + node.text + ")");
  }
  return input;
}

Values Evaluator::eval_list(const Values &input, const Node &list, std::string *error) {
  Values current = input;
  for (const Node &node : list.children) {
    current = walk(current, node, error);
    if (!error->empty()) break;
  }
  return current;
}

Values Evaluator::eval_literal(const Values &input, Json literal) {
  const Json *value = keep(std::move(literal));
  return Values(input.size(), value);
}

Values Evaluator::eval_field(const Values &input, const Node &field, std::string *error) {
  Values results;
  if (input.empty()) return results;
  for (const Json *value : input) {
    const Json *member = value ? value->find(field.text) : nullptr;  // only objects have members
    if (member) results.push_back(member);
  }
  if (results.empty() && !allow_missing_keys_) *error = field.text + " is not found";
  return results;
}

Values Evaluator::eval_array(const Values &input, const Node &array, std::string *error) {
  Values result;
  for (const Json *value : input) {
    if (!value || value->is_null()) continue;  // (client-go panics on an invalid value)
    const Json::Array *elements = value->as_array();
    if (!elements) {
      *error = go_type_name(*value) + " is not array or slice";
      return input;
    }
    auto [start, end, step] = array.bounds;
    const auto length = static_cast<int64_t>(elements->size());
    if (!start.known) start.value = 0;
    if (start.value < 0) start.value += length;
    if (!end.known) end.value = length;
    if (end.value < 0 || (end.value == 0 && end.derived)) end.value += length;
    if (end.value == start.value) return result;  // zero elements asked for: client-go stops here
    if (start.value >= length || start.value < 0) {
      *error = "array index out of bounds: index " + std::to_string(start.value) + ", length " +
               std::to_string(length);
      return input;
    }
    if (end.value > length || end.value < 0) {
      *error = "array index out of bounds: index " + std::to_string(end.value - 1) + ", length " +
               std::to_string(length);
      return input;
    }
    if (start.value > end.value) {
      *error = "starting index " + std::to_string(start.value) + " is greater than ending index " +
               std::to_string(end.value);
      return input;
    }
    if (step.known && step.value <= 0) {
      *error = "step must be > 0";
      return input;
    }
    const int64_t stride = step.known ? step.value : 1;
    for (int64_t i = start.value; i < end.value; i += stride) result.push_back(&(*elements)[static_cast<size_t>(i)]);
  }
  return result;
}

Values Evaluator::eval_filter(const Values &input, const Node &filter, std::string *error) {
  const Node &left = filter.children[0];
  const Node &right = filter.children[1];
  Values results;
  for (const Json *value : input) {
    const Json::Array *elements = value ? value->as_array() : nullptr;
    if (!elements) {
      *error = (value ? go_value(*value) : "<invalid reflect.Value>") + " is not array or slice and cannot be filtered";
      return input;
    }
    for (const Json &element : *elements) {
      const Values item{&element};
      std::string step_error;
      const Values lefts = eval_list(item, left, &step_error);
      if (filter.text == "exists") {  // whatever the left side found, even with an error
        if (!lefts.empty()) results.push_back(&element);
        continue;
      }
      if (!step_error.empty()) return *error = step_error, input;
      if (lefts.empty()) continue;
      if (lefts.size() > 1) return *error = "can only compare one element at a time", input;
      const Values rights = eval_list(item, right, &step_error);
      if (!step_error.empty()) return *error = step_error, input;
      if (rights.empty()) continue;
      if (rights.size() > 1) return *error = "can only compare one element at a time", input;
      if (!lefts[0] || !rights[0]) return *error = "invalid type for comparison", results;
      const bool pass = compare(filter.text, *lefts[0], *rights[0], &step_error);
      if (!step_error.empty()) return *error = step_error, results;
      if (pass) results.push_back(&element);
    }
  }
  return results;
}

Values Evaluator::eval_union(const Values &input, const Node &union_node, std::string *error) {
  Values result;
  for (const Node &branch : union_node.children) {
    const Values values = eval_list(input, branch, error);
    if (!error->empty()) return input;
    result.insert(result.end(), values.begin(), values.end());
  }
  return result;
}

Values Evaluator::eval_identifier(const Values &input, const Node &identifier, std::string *error) {
  if (identifier.text == "range") {
    ++begin_range_;
    return input;
  }
  if (identifier.text == "end") {
    if (in_range_ > 0)
      ++end_range_;
    else
      *error = "not in range, nothing to end";
    return {};
  }
  *error = "unrecognized identifier " + identifier.text;
  return input;
}

Values Evaluator::eval_wildcard(const Values &input) {
  Values results;
  for (const Json *value : input)
    if (value) append_children(*value, results, [this](Json v) { return keep(std::move(v)); });
  return results;
}

// Every container below the input, each before its contents.
Values Evaluator::eval_recursive(const Values &input) {
  Values result;
  for (const Json *value : input) {
    if (!value) continue;
    Values children;
    append_children(*value, children, [this](Json v) { return keep(std::move(v)); });
    if (children.empty()) continue;
    result.push_back(value);
    const Values below = eval_recursive(children);
    result.insert(result.end(), below.begin(), below.end());
  }
  return result;
}

}  // namespace kuphost::sandbox::sim::jsonpath
