// The part of apt-get install/upgrade after the targets are known: resolve
// dependencies, print apt's plan, enforce holds and downgrades, prompt,
// "download" and "unpack", and record the result on the node.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "apt_options.h"
#include "apt_view.h"
#include "invocation.h"

namespace kuphost::sandbox::sim {

struct AptRequest {
  std::map<std::string, std::string> targets;  // name -> upstream version
  std::vector<std::string> kept_back;          // upgrade: held packages left alone
  bool always_ask = false;                     // upgrade prompts even without extra packages
};

// Prints from the plan on (the caller printed "Reading package lists..."
// and its own messages) and returns apt-get's exit code.
int carry_out_apt_transaction(Invocation &inv, const AptOptions &opts, const AptView &view, const AptRequest &request);

}  // namespace kuphost::sandbox::sim
