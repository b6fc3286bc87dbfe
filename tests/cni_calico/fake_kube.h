// A CommandRunner that plays kubectl against a tiny Calico cluster and curl
// against a table of URLs, for the cni-calico workflow tests: applied files
// are read and logged in order, calico-node's image follows what is applied,
// and its rollout advances one pod per poll unless the image never becomes
// ready. The host's PluginHost runs the plugin code's commands through it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/command_runner.h"

namespace kuphost::test {

class FakeKube : public CommandRunner {
 public:
  explicit FakeKube(bool operator_install, std::string image = "docker.io/calico/node:v3.29.1");
  CommandResult run(const Command &command) override;

  // What happened, in order: "curl URL", "apply NAME" ("apply -": from stdin), "get-f KIND/NAME".
  std::vector<std::string> log;
  std::map<std::string, std::string> urls;    // URL -> body served to curl
  std::set<std::string> never_ready;          // images whose pods never become available
  std::set<std::string> unserved_kinds;       // `get -f` answers "no matches for kind"
  std::function<void(const std::string &file)> before_apply;  // called with the host path
  std::string image;                          // calico-node's current image
  // The node's root: curl gets node paths, as on a node (the sandbox maps them too).
  std::filesystem::path node_root;
  int desired = 3, updated = 3, generation = 1, observed = 1;

 private:
  CommandResult kubectl(const std::vector<std::string> &args, const std::string &stdin_data);
  CommandResult apply(const std::filesystem::path &file, const std::string &stdin_data);  // "-": stdin
  std::string daemonset_json();
  std::string version() const;  // the tag of `image`
  bool operator_install_;
};

}  // namespace kuphost::test
