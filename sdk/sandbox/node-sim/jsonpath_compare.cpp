#include "jsonpath_compare.h"

namespace kuphost::sandbox::sim::jsonpath {
namespace {

// text/template's basicKind, for the kinds JSON has; maps, lists and null
// are invalidKind.
enum class BasicKind { kInvalid, kBool, kInt, kString };

constexpr const char *kBadComparisonType = "invalid type for comparison";
constexpr const char *kBadComparison = "incompatible types for comparison";

BasicKind kind_of(const Json &v) {
  if (v.as_bool()) return BasicKind::kBool;
  if (v.as_int()) return BasicKind::kInt;
  if (v.as_string()) return BasicKind::kString;
  return BasicKind::kInvalid;
}

// Both operands' kind, or kInvalid + *error in the order Go checks them.
BasicKind common_kind(const Json &a, const Json &b, std::string *error) {
  const BasicKind ka = kind_of(a);
  if (ka == BasicKind::kInvalid) return *error = kBadComparisonType, BasicKind::kInvalid;
  const BasicKind kb = kind_of(b);
  if (kb == BasicKind::kInvalid) return *error = kBadComparisonType, BasicKind::kInvalid;
  if (ka != kb) return *error = kBadComparison, BasicKind::kInvalid;
  return ka;
}

bool equal(const Json &a, const Json &b, std::string *error) {
  switch (common_kind(a, b, error)) {
    case BasicKind::kBool: return *a.as_bool() == *b.as_bool();
    case BasicKind::kInt: return *a.as_int() == *b.as_int();
    case BasicKind::kString: return *a.as_string() == *b.as_string();
    case BasicKind::kInvalid: return false;
  }
  return false;
}

bool less(const Json &a, const Json &b, std::string *error) {
  switch (common_kind(a, b, error)) {
    case BasicKind::kBool: return *error = kBadComparisonType, false;
    case BasicKind::kInt: return *a.as_int() < *b.as_int();
    case BasicKind::kString: return *a.as_string() < *b.as_string();
    case BasicKind::kInvalid: return false;
  }
  return false;
}

// <= is < or ==, as text/template's le.
bool less_or_equal(const Json &a, const Json &b, std::string *error) {
  const bool lt = less(a, b, error);
  if (lt || !error->empty()) return lt;
  return equal(a, b, error);
}

}  // namespace

bool compare(const std::string &op, const Json &left, const Json &right, std::string *error) {
  if (op == "==") return equal(left, right, error);
  if (op == "!=") return !equal(left, right, error) && error->empty();
  if (op == "<") return less(left, right, error);
  if (op == "<=") return less_or_equal(left, right, error);
  if (op == ">") return !less_or_equal(left, right, error) && error->empty();
  if (op == ">=") return !less(left, right, error) && error->empty();
  *error = "unrecognized filter operator " + op;
  return false;
}

}  // namespace kuphost::sandbox::sim::jsonpath
