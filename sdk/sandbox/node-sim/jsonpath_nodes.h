// The parse tree of a kubectl JSONPath template, as client-go's
// util/jsonpath parser builds it: the root list holds text and one list per
// {action}; an action's list holds the steps applied left to right.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kuphost::sandbox::sim::jsonpath {

// One bound of [start:end:step]; `derived` marks the end of a plain [N].
struct SliceBound {
  int64_t value = 0;
  bool known = false;
  bool derived = false;
};

struct Node {
  enum class Kind {
    kList,        // children: the steps of an action (or, at the root, the template's pieces)
    kText,        // text: literal text or a quoted string
    kField,       // text: the key (.metadata, ['key'])
    kIdentifier,  // text: "range", "end", or anything else (an error when run)
    kArray,       // bounds: [N], [a:b:c], [*]
    kFilter,      // children: left and right lists; text: the operator, or "exists"
    kInt,         // integer
    kFloat,       // text: as written
    kBool,        // boolean
    kWildcard,    // .*
    kRecursive,   // ..
    kUnion,       // children: one list per [a,b] branch
  };

  Kind kind = Kind::kList;
  std::string text;
  int64_t integer = 0;
  bool boolean = false;
  std::array<SliceBound, 3> bounds{};
  std::vector<Node> children;
};

// A template client-go's parser rejects; what() is its message ("unclosed action").
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The template's root list; throws ParseError.
Node parse_template(const std::string &text);

}  // namespace kuphost::sandbox::sim::jsonpath
