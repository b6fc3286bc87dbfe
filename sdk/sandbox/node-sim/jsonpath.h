// kubectl's -o jsonpath=TEMPLATE: client-go's util/jsonpath over the
// sandbox's Json values, with the same output and error messages.
//
// Supported as client-go has them: literal text between actions; fields
// (.a.b, escaped dots `.a\.b`, ['key']), `$`/`@`, [N] (negative too),
// [start:end:step], [*], .*, ..name, unions [0,1], filters [?(@.a=="x")]
// (== != < > <= >= on strings, integers and booleans) and [?(@.a)],
// {range …}{end} (nested), quoted literals with Go escapes ({"\n"}, {'\t'}),
// integer and boolean literals. Maps and lists print as compact JSON with
// sorted keys, several results join with spaces, null prints "<nil>".
// Not simulated: floating-point literals (no floats in sandbox objects).
// Go iterates maps in random order, so .* and .. over an object list its
// members in an order real kubectl may not; here it is the object's.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "json_writer.h"

namespace kuphost::sandbox::sim {

namespace jsonpath {
struct Node;
}

// A template that needs what the sandbox does not simulate.
struct UnsimulatedJsonPath : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class JsonPath {
 public:
  // nullopt + *error with client-go's message ("unclosed action") when the
  // template does not parse.
  static std::optional<JsonPath> parse(const std::string &text, std::string *error);

  // What the template prints for `data`, or nullopt + *error with
  // client-go's message ("array index out of bounds: index 0, length 0").
  // allow_missing_keys is kubectl's --allow-missing-template-keys (true by
  // default): a missing key then yields nothing instead of "KEY is not found".
  // Throws UnsimulatedJsonPath.
  std::optional<std::string> execute(const Json &data, bool allow_missing_keys, std::string *error) const;

 private:
  explicit JsonPath(std::shared_ptr<const jsonpath::Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const jsonpath::Node> root_;
};

}  // namespace kuphost::sandbox::sim
