// Command-line options (Boost.Program_options).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kuphost {

// kPowerShell: `plan` on a Windows node only (the script to run there by hand).
enum class OutputFormat { kText, kJson, kYaml, kPowerShell };

struct Options {
  std::string command;            // plan | apply | plugins | sandbox | version | help | a plugin's command
  std::vector<std::string> args;  // the command's positional arguments
  std::optional<std::string> plugins;  // --plugins a,b,c
  std::vector<std::filesystem::path> plugin_dirs;
  bool allow_insecure_plugin_dir = false;
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> root;
  std::optional<std::filesystem::path> sandbox;
  std::string node;
  std::string role;
  bool dry_run = false;
  bool yes = false;
  bool force = false;
  std::vector<std::string> ignore_preflight_errors;  // validated names, or "all"
  bool allow_experimental_upgrades = false;
  bool allow_release_candidate_upgrades = false;
  std::string kubeconfig;  // node path; empty = admin.conf or kubelet.conf
  std::string binaries_from;  // --binaries-from: absolute directory on this machine (windows-node)
  OutputFormat output = OutputFormat::kText;
  int verbosity = 0;
  std::filesystem::path log_file;
  // sandbox create
  std::string kubernetes_version = "v1.30.5";
  std::string distro = "ubuntu-24.04";
  std::string nodes = "cp1:first-control-plane,w1:worker";
  std::string etcd = "stacked";
  std::string key_type = "rsa-2048";
  int cert_validity_days = 365;
  std::string packages = "simulated";  // sandbox create --packages
  std::string calico;                     // sandbox create --calico
  std::string calico_version = "v3.29.1";  // --calico-version
  int port = 0;  // sandbox up; 0: the sandbox's recorded port, or a free one
  std::vector<std::string> sandbox_flags_given;  // to refuse them outside `sandbox create`
};

// Throws Failure(kInvalidInput) with a one-line message for bad usage.
Options parse_options(int argc, char **argv);
// `plugin_commands`: the section listing the plugins' commands, if any.
std::string usage_text(const std::string &plugin_commands = {});
// --ignore-preflight-errors values (each NAME[,NAME] or all) as names;
// Failure(kInvalidInput) listing the valid names for an unknown one.
std::vector<std::string> parse_ignore_preflight_errors(const std::vector<std::string> &values);

}  // namespace kuphost
