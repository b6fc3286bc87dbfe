// Go's fmt renderings of JSON values, for messages kubectl builds with
// fmt.Errorf: the jsonpath errors quote the template (%q), print the value
// that could not be filtered (%v) and dump the whole object (%#v). kubectl
// holds objects as map[string]interface{}, so those are the Go types shown.
#pragma once

#include <string>
#include <string_view>

#include "json_writer.h"

namespace kuphost::sandbox::sim {

// strconv.Quote (%q). Non-ASCII bytes pass through as printable UTF-8.
std::string go_quote(std::string_view s);
// fmt's %v: map[key:value ...] with sorted keys, [a b], <nil>.
std::string go_value(const Json &value);
// fmt's %#v: map[string]interface {}{"key":value, ...}, []interface {}{...}.
std::string go_syntax(const Json &value);
// reflect.Type.String() of the value: "map[string]interface {}", "int64", ...
std::string go_type_name(const Json &value);
// fmt's %#U of a character: "U+0021 '!'" (no quoted form when unprintable).
std::string go_rune_description(char32_t rune);

}  // namespace kuphost::sandbox::sim
