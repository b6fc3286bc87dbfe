// labelSelector and fieldSelector query parameters, as lists filter by them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kuphost::sandbox::apiserver {

// "app=web,tier!=db,env,!canary" (equality and existence; set-based `in`
// is not simulated).
class LabelSelector {
 public:
  // nullopt + *error for a selector it cannot parse.
  static std::optional<LabelSelector> parse(const std::string &text, std::string *error);
  bool matches(const std::map<std::string, std::string> &labels) const;

 private:
  struct Term {
    std::string key, value;
    enum { kEquals, kNotEquals, kExists, kNotExists } op;
  };
  std::vector<Term> terms_;
};

// "spec.nodeName=cp1,metadata.namespace!=kube-system": field -> (value, equal?).
struct FieldTerm {
  std::string field, value;
  bool equals = true;
};
std::optional<std::vector<FieldTerm>> parse_field_selector(const std::string &text, std::string *error);
// Every term holds for `fields` (missing fields are "").
bool fields_match(const std::vector<FieldTerm> &terms, const std::map<std::string, std::string> &fields);

}  // namespace kuphost::sandbox::apiserver
