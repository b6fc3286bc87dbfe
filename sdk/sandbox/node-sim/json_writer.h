// A small JSON value for the -o json outputs (kubectl, kubeadm version).
// Objects keep insertion order, so output follows the Go structs' field order.
#pragma once

#include <cstdint>
#include <string>
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

 private:
  explicit Json(Object o) : value_(std::move(o)) {}
  explicit Json(Array a) : value_(std::move(a)) {}
  void write(std::string &out, int indent, int depth) const;

  std::variant<std::nullptr_t, bool, int64_t, std::string, Array, Object> value_;
};

}  // namespace kuphost::sandbox::sim
