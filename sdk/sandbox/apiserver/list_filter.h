// The labelSelector / fieldSelector of a list request.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api_types.h"
#include "selectors.h"

namespace kuphost::sandbox::apiserver {

class ListFilter {
 public:
  // nullopt + *error (a 400 message) for selectors that do not parse.
  static std::optional<ListFilter> from(const Request &req, std::string *error);
  bool matches(const std::map<std::string, std::string> &labels, const std::map<std::string, std::string> &fields) const;

 private:
  std::optional<LabelSelector> labels_;
  std::vector<FieldTerm> fields_;
};

}  // namespace kuphost::sandbox::apiserver
