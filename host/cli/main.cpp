// kuphost: upgrades kubeadm-created Kubernetes nodes through phase plugins.
#include <iostream>

#include <yaml-cpp/yaml.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/plugin_commands.h"
#include "services/cancel.h"
#include "services/logging.h"

int main(int argc, char **argv) {
  using namespace kuphost;
  try {
    const Options options = parse_options(argc, argv);
    if (options.command == "help") {
      std::cout << usage_text(plugin_commands_help(options));
      return 0;
    }
    logging::init(options.verbosity, options.log_file);
    install_cancel_handlers();
    if (options.command != "sandbox" && !options.sandbox_flags_given.empty())
      fail_input(options.sandbox_flags_given.front() + " is an option of `kuphost sandbox create`");
    ExitCode code;
    if (options.command == "plan") code = run_plan(options);
    else if (options.command == "apply") code = run_apply(options);
    else if (options.command == "plugins") code = run_plugins(options);
    else if (options.command == "sandbox") code = run_sandbox(options);
    else if (options.command == "version") code = run_version(options);
    else code = run_plugin_command(options);  // or the unknown-command error
    return static_cast<int>(code);
  } catch (const Failure &e) {
    std::cerr << "kuphost: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const YAML::Exception &e) {
    std::cerr << "kuphost: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInvalidInput);
  } catch (const std::exception &e) {
    std::cerr << "kuphost: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kFailed);
  }
}
