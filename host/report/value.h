// A small document tree for -o json|yaml output, emitted with yaml-cpp:
// JSON as flow YAML with double-quoted strings (valid JSON), YAML as block.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kuphost {

struct Value {
  using List = std::vector<Value>;
  using Map = std::vector<std::pair<std::string, Value>>;  // keeps insertion order
  std::variant<std::nullptr_t, bool, int64_t, std::string, List, Map> v;

  Value() : v(nullptr) {}
  Value(bool b) : v(b) {}
  Value(int i) : v(static_cast<int64_t>(i)) {}
  Value(int64_t i) : v(i) {}
  Value(size_t i) : v(static_cast<int64_t>(i)) {}
  Value(const char *s) : v(std::string(s)) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(List l) : v(std::move(l)) {}
  Value(Map m) : v(std::move(m)) {}
  static Value strings(const std::vector<std::string> &items);
};

std::string to_json(const Value &value);
std::string to_yaml(const Value &value);

}  // namespace kuphost
