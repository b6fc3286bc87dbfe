// A small JSON value for the -o json outputs (kubectl, kubeadm version) and
// kubectl's JSONPath. Objects keep insertion order, so output follows the Go
// structs' field order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kuphost::sandbox::sim {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() : value_(nullptr) {}
  Json(std::nullptr_t) : value_(nullptr) {}
  Json(bool b) : value_(b) {}
  Json(int i) : value_(static_cast<int64_t>(i)) {}
  Json(int64_t i) : value_(i) {}
  Json(const char *s) : value_(std::string(s)) {}
  Json(std::string s) : value_(std::move(s)) {}
  static Json object() { return Json(Object{}); }
  static Json array() { return Json(Array{}); }

  Json &set(std::string key, Json value);  // on an object
  Json &push(Json value);                  // on an array

  // Go's json.MarshalIndent(v, "", indent).
  std::string dump(int indent) const;
  // Go's json.Marshal of the value as kubectl holds it (map[string]interface{}):
  // compact, object keys sorted.
  std::string dump_compact_sorted() const;

  // Read access; nullptr when the value is of another type.
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(value_); }
  const bool *as_bool() const { return std::get_if<bool>(&value_); }
  const int64_t *as_int() const { return std::get_if<int64_t>(&value_); }
  const std::string *as_string() const { return std::get_if<std::string>(&value_); }
  const Array *as_array() const { return std::get_if<Array>(&value_); }
  const Object *as_object() const { return std::get_if<Object>(&value_); }
  // An object's member; nullptr when absent or not an object.
  const Json *find(std::string_view key) const;

 private:
  explicit Json(Object o) : value_(std::move(o)) {}
  explicit Json(Array a) : value_(std::move(a)) {}
  void write(std::string &out, int indent, int depth) const;
  void write_compact_sorted(std::string &out) const;

  std::variant<std::nullptr_t, bool, int64_t, std::string, Array, Object> value_;
};

}  // namespace kuphost::sandbox::sim
