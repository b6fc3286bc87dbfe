// A filter's comparison, as client-go's forked text/template eq/lt/... do it:
// strings, integers and booleans compare with their own kind only.
#pragma once

#include <string>

#include "json_writer.h"

namespace kuphost::sandbox::sim::jsonpath {

// `left OP right` for OP one of == != < > <= >=; false + *error with Go's
// message ("incompatible types for comparison") otherwise.
bool compare(const std::string &op, const Json &left, const Json &right, std::string *error);

}  // namespace kuphost::sandbox::sim::jsonpath
