#include "list_filter.h"

namespace kuphost::sandbox::apiserver {

std::optional<ListFilter> ListFilter::from(const Request &req, std::string *error) {
  ListFilter f;
  if (const auto it = req.query.find("labelSelector"); it != req.query.end()) {
    f.labels_ = LabelSelector::parse(it->second, error);
    if (!f.labels_) return std::nullopt;
  }
  if (const auto it = req.query.find("fieldSelector"); it != req.query.end()) {
    auto terms = parse_field_selector(it->second, error);
    if (!terms) return std::nullopt;
    f.fields_ = std::move(*terms);
  }
  return f;
}

bool ListFilter::matches(const std::map<std::string, std::string> &labels,
                         const std::map<std::string, std::string> &fields) const {
  return (!labels_ || labels_->matches(labels)) && fields_match(fields_, fields);
}

}  // namespace kuphost::sandbox::apiserver
