// Go's text/tabwriter as kubectl and kubeadm set it up (columns padded by 3
// spaces), for the simulated kubeadm's `upgrade plan` tables.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace kuphost::sandbox::sim {

void print_table(std::ostream &out, const std::vector<std::vector<std::string>> &rows);

}  // namespace kuphost::sandbox::sim
