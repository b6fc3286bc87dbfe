// Output conventions shared by the simulated apt-get, apt-cache and apt-mark.
#pragma once

#include <ostream>
#include <string>

#include "invocation.h"
#include "package_sources.h"

namespace kuphost::sandbox::sim {

// apt's stdout, silenced by -qq (quiet >= 2); errors always reach stderr.
class AptOutput {
 public:
  AptOutput(Invocation &inv, int quiet) : out_(quiet >= 2 ? discard_ : inv.out) {}
  std::ostream &out() { return out_; }

 private:
  std::ostream discard_{nullptr};  // no buffer: writes are dropped
  std::ostream &out_;
};

// apt's SizeToStr: "3710 ", "11.9 M", "105 k" (the caller appends "B").
std::string apt_size(double bytes);

// The URL apt fetches from after the server's redirect, as its Hit/Get/Err
// lines show it: pkgs.k8s.io serves from prod-cdn.packages.k8s.io and
// apt.kubernetes.io from packages.cloud.google.com/apt.
std::string apt_fetch_description(const AptSource &source);

// "apt 2.7.14 (amd64)" on Ubuntu 24.04, "apt 2.6.1 (amd64)" on Debian 12.
std::string apt_version_line(const std::string &distro);

// The three lines every apt-get operation that reads the cache starts with.
void print_reading_state(std::ostream &out);

}  // namespace kuphost::sandbox::sim
