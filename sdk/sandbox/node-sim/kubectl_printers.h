// kubectl get's printers other than its tables: -o json, yaml, name and
// jsonpath (-o jsonpath=TEMPLATE, or -o jsonpath --template TEMPLATE), with
// --allow-missing-template-keys and kubectl's errors. kubectl builds the
// printer after fetching, so its NotFound errors come before these.
#pragma once

#include "flags.h"
#include "invocation.h"
#include "json_writer.h"

namespace kuphost::sandbox::sim {

// The flags `get` takes for its printers.
std::vector<FlagSpec> kubectl_printer_flags();

// Whether `get` prints a table: no -o (and no --template), or -o wide.
bool prints_table(const ParsedFlags &flags);

// Prints `object` (one object, or a List) with the -o printer; the exit code.
int print_generic(Invocation &inv, const ParsedFlags &flags, const Json &object);

}  // namespace kuphost::sandbox::sim
