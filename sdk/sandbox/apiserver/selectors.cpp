#include "selectors.h"

namespace kuphost::sandbox::apiserver {
namespace {

std::vector<std::string> split_terms(const std::string &text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    std::string term = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t b = term.find_first_not_of(' '), e = term.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(term.substr(b, e - b + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(const std::string &text, std::string *error) {
  LabelSelector s;
  for (const auto &term : split_terms(text)) {
    if (term.find(" in ") != std::string::npos || term.find(" notin ") != std::string::npos || term.find('(') != std::string::npos) {
      *error = "set-based label selectors are not simulated: " + term;
      return std::nullopt;
    }
    if (const size_t ne = term.find("!="); ne != std::string::npos) {
      s.terms_.push_back({term.substr(0, ne), term.substr(ne + 2), Term::kNotEquals});
    } else if (const size_t eq = term.find('='); eq != std::string::npos) {
      const size_t value_at = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
      s.terms_.push_back({term.substr(0, eq), term.substr(value_at), Term::kEquals});
    } else if (term[0] == '!') {
      s.terms_.push_back({term.substr(1), "", Term::kNotExists});
    } else {
      s.terms_.push_back({term, "", Term::kExists});
    }
  }
  return s;
}

bool LabelSelector::matches(const std::map<std::string, std::string> &labels) const {
  for (const auto &t : terms_) {
    const auto it = labels.find(t.key);
    switch (t.op) {
      case Term::kEquals:
        if (it == labels.end() || it->second != t.value) return false;
        break;
      case Term::kNotEquals:
        if (it != labels.end() && it->second == t.value) return false;
        break;
      case Term::kExists:
        if (it == labels.end()) return false;
        break;
      case Term::kNotExists:
        if (it != labels.end()) return false;
        break;
    }
  }
  return true;
}

std::optional<std::vector<FieldTerm>> parse_field_selector(const std::string &text, std::string *error) {
  static const char *kFields[] = {"metadata.name", "metadata.namespace", "spec.nodeName", "status.phase",
                                  "spec.unschedulable"};
  std::vector<FieldTerm> terms;
  for (const auto &term : split_terms(text)) {
    FieldTerm t;
    if (const size_t ne = term.find("!="); ne != std::string::npos) {
      t = {term.substr(0, ne), term.substr(ne + 2), false};
    } else if (const size_t eq = term.find('='); eq != std::string::npos) {
      t = {term.substr(0, eq), term.substr(term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1), true};
    } else {
      *error = "invalid selector: '" + text + "'; can't understand '" + term + "'";
      return std::nullopt;
    }
    bool known = false;
    for (const char *f : kFields) known = known || t.field == f;
    if (!known) {
      *error = "field label not supported: " + t.field;
      return std::nullopt;
    }
    terms.push_back(t);
  }
  return terms;
}

bool fields_match(const std::vector<FieldTerm> &terms, const std::map<std::string, std::string> &fields) {
  for (const auto &t : terms) {
    const auto it = fields.find(t.field);
    const std::string value = it == fields.end() ? "" : it->second;
    if ((value == t.value) != t.equals) return false;
  }
  return true;
}

}  // namespace kuphost::sandbox::apiserver
