// Running a parsed template, as client-go's jsonpath.go does. A value is a
// pointer into the data or to a value the template made (a literal); nullptr
// is Go's invalid reflect.Value, what a {range} hands its body when it ranges
// over nothing or over a null. Errors come back as Go's do, with the values
// the failing step returned, because a filter's existence test uses them.
#pragma once

#include <deque>
#include <span>
#include <string>
#include <vector>

#include "json_writer.h"
#include "jsonpath_nodes.h"

namespace kuphost::sandbox::sim::jsonpath {

using Values = std::vector<const Json *>;

class Evaluator {
 public:
  explicit Evaluator(bool allow_missing_keys) : allow_missing_keys_(allow_missing_keys) {}

  // FindResults: the values of each piece of the template (`nodes`, the
  // root list's children), ranges expanded. *error set on failure.
  std::vector<Values> find_results(const Json *data, std::span<const Node> nodes, std::string *error);

 private:
  Values walk(const Values &input, const Node &node, std::string *error);
  Values eval_list(const Values &input, const Node &list, std::string *error);
  Values eval_field(const Values &input, const Node &field, std::string *error);
  Values eval_array(const Values &input, const Node &array, std::string *error);
  Values eval_filter(const Values &input, const Node &filter, std::string *error);
  Values eval_union(const Values &input, const Node &union_node, std::string *error);
  Values eval_identifier(const Values &input, const Node &identifier, std::string *error);
  Values eval_wildcard(const Values &input);
  Values eval_recursive(const Values &input);
  // A literal, once per input value as client-go repeats it.
  Values eval_literal(const Values &input, Json literal);
  const Json *keep(Json value);

  bool allow_missing_keys_;
  // The range bookkeeping client-go keeps on its JSONPath object.
  int begin_range_ = 0, in_range_ = 0, end_range_ = 0;
  const Node *last_end_node_ = nullptr;
  std::deque<Json> made_;  // literals; a deque keeps pointers to them valid
};

}  // namespace kuphost::sandbox::sim::jsonpath
