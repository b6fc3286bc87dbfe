// Built twice (cmd-a, cmd-b): a plugin with two top-level commands (ABI 1.1),
// so that the CLI tests can see what reaches a command and what the host
// allows it, and what happens when two plugins declare the same name.
//   peek [WORD...]          read-only: prints what the call carried (and
//                           node.apiserver-endpoint when set);
//                           `peek write PATH` tries a write, `peek fail` fails
//   stamp PATH TEXT         changes the node: writes TEXT to PATH; needs -y
#include <string>

#include <kuphost/kuphost.hpp>

#ifndef CMD_ID
#error CMD_ID must be defined
#endif

class Commands {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Command fixture";
    info.config_keys.push_back({"greeting", KUP_CONFIG_STRING, "hello", "printed first by peek"});
    info.commands = {
        {"peek", "peek [WORD...]", "Prints what the command call carried.", KUP_COMMAND_READ_ONLY,
         kup::command<&Commands::peek>()},
        {"stamp", "stamp PATH TEXT", "Writes TEXT to the node file PATH.", 0, kup::command<&Commands::stamp>()},
    };
  }

  explicit Commands(kup::Host host) : host_(host), greeting_(host.config("greeting").value_or("?")) {}

  void peek(const kup::CommandCall &call) {
    const auto args = call.args();
    if (args.size() == 1 && args[0] == "fail") throw kup::Error(KUP_E_IO, "peek failed as asked", "some details");
    if (args.size() == 2 && args[0] == "write") {
      host_.write_file(args[1], "peeked\n");
      return;
    }
    call.out(greeting_ + " from " CMD_ID);
    call.out("command: " + std::string(call.command()));
    for (const auto &a : args) call.out("arg: " + a);
    call.out("output: " + std::to_string(call.output()));
    call.out(std::string("flags:") + (call.dry_run() ? " dry-run" : "") + (call.force() ? " force" : "") +
             (call.confirmed() ? " confirmed" : ""));
    call.write("node: " + host_.fact("node.name").value_or("?") + "\n");
    if (const auto endpoint = host_.fact("node.apiserver-endpoint"))
      call.write("apiserver-endpoint: " + *endpoint + "\n");
  }

  void stamp(const kup::CommandCall &call) {
    const auto args = call.args();
    if (args.size() != 2) throw kup::Error(KUP_E_INVALID_ARGUMENT, "usage: kuphost stamp PATH TEXT");
    if (!call.confirmed() && !call.dry_run())
      throw kup::Error(KUP_E_INVALID_ARGUMENT, "stamp changes " + args[0] + ": pass -y, or --dry-run");
    host_.write_file(args[0], args[1] + "\n");
    call.out(std::string(call.dry_run() ? "would write " : "wrote ") + args[0]);
  }

 private:
  kup::Host host_;
  std::string greeting_;
};

KUPHOST_PLUGIN(Commands, CMD_ID, "1.0.0")
