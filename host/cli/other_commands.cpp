// plugins, sandbox, version, and the shared output helper.
#include <iostream>
#include <string>
#include <vector>  // before library_info.hpp, which needs it (Boost 1.74)

#include <boost/dll/library_info.hpp>
#include <kuphost/kuphost.h>
#include <kuphost/sandbox/apiserver.h>
#include <kuphost/sandbox/calico.h>
#include <kuphost/sandbox/sandbox.h>

#include "cli/commands.h"
#include "cli/plugin_commands.h"
#include "cli/session.h"
#include "compose/composer.h"
#include "loader/elf_exports.h"
#include "loader/manifest.h"
#include "loader/plugin_catalog.h"
#include "loader/plugin_loader.h"
#include "report/value.h"
#include "support/strings.h"
#include "support/version.h"
#include "version.h"

namespace kuphost {
namespace fs = std::filesystem;

void print_output(const Options &o, const std::string &text, const Value &value) {
  switch (o.output) {
    case OutputFormat::kJson: std::cout << to_json(value); break;
    case OutputFormat::kYaml: std::cout << to_yaml(value); break;
    case OutputFormat::kText:
    case OutputFormat::kPowerShell:  // plan prints its script itself; elsewhere refused by options
      std::cout << text;
      break;
  }
  std::cout.flush();
}

namespace {

std::string pad(const std::string &s, size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); }

std::string abi_text(const LoadedPlugin &p) {
  return std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor);
}

ExitCode plugins_list(const Options &o) {
  std::vector<fs::path> dirs = o.plugin_dirs;
  PluginCatalog catalog(default_plugin_dirs(dirs), o.allow_insecure_plugin_dir);
  catalog.scan();
  struct Row { std::string id, version, abi, aliases, phases, path, error, command_text; Value commands; };
  std::vector<Row> rows;
  bool failed = false;
  for (const auto &c : catalog.candidates()) {
    try {
      const LoadedPlugin &p = catalog.load_file(c.path);
      std::vector<std::string> phases;
      for (const auto &ph : p.phases) phases.push_back(ph.id);
      rows.push_back({p.id, p.version, abi_text(p), join(p.aliases, ","), join(phases, ","), p.path.string(), "",
                      command_lines(p, "  command: "), command_values(p)});
    } catch (const Failure &e) {
      failed = true;
      rows.push_back({c.id, c.version, "?", "", "", c.path.string(), e.what(), "", Value(Value::List{})});
    }
  }
  std::ostringstream text;
  size_t wid = 2, wver = 7, walias = 7;
  for (const auto &r : rows) {
    wid = std::max(wid, r.id.size());
    wver = std::max(wver, r.version.size());
    walias = std::max(walias, r.aliases.size());
  }
  text << pad("ID", wid + 2) << pad("VERSION", wver + 2) << pad("ABI", 5) << pad("ALIASES", walias + 2) << "PATH\n";
  Value::List list;
  for (const auto &r : rows) {
    text << pad(r.id, wid + 2) << pad(r.version, wver + 2) << pad(r.abi, 5)
         << pad(r.aliases.empty() ? "-" : r.aliases, walias + 2) << r.path << "\n";
    text << r.command_text;
    if (!r.error.empty()) text << "  error: " << r.error << "\n";
    Value::Map m{{"id", r.id}, {"version", r.version}, {"abi", r.abi}, {"aliases", Value::strings(split(r.aliases, ','))},
                 {"phases", Value::strings(split(r.phases, ','))}, {"commands", r.commands}, {"path", r.path}};
    if (!r.error.empty()) m.emplace_back("error", r.error);
    list.emplace_back(std::move(m));
  }
  std::vector<std::string> searched;
  for (const auto &d : catalog.search_dirs()) searched.push_back(d.string());
  text << "(searched " << join(searched, ", ") << ")\n";
  print_output(o, text.str(), Value(Value::Map{{"kind", "PluginList"}, {"plugins", Value(std::move(list))},
                                               {"searchPath", Value::strings(searched)}}));
  return failed ? ExitCode::kPluginError : ExitCode::kOk;
}

// `plugins inspect NAME`: an installed plugin by id or alias. Unlike a FILE,
// it is loaded (its entry is side-effect free, as for `plugins list`) so
// that its commands can be shown.
const LoadedPlugin *inspect_by_name(PluginCatalog &catalog, fs::path *file) {
  std::error_code ec;
  if (fs::is_regular_file(*file, ec) || file->string().find('/') != std::string::npos) return nullptr;
  catalog.scan();
  const LoadedPlugin &p = catalog.resolve(file->string());
  *file = p.path;
  return &p;
}

ExitCode plugins_inspect(const Options &o) {
  if (o.args.size() != 2) fail_input("usage: kuphost plugins inspect FILE|NAME");
  fs::path file = o.args[1];
  PluginCatalog catalog(default_plugin_dirs(o.plugin_dirs), o.allow_insecure_plugin_dir);
  const LoadedPlugin *loaded = inspect_by_name(catalog, &file);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) fail_input(file.string() + " is not a file");
  // library_info checks the format and lists sections; the exports come from
  // .dynsym (see loader/elf_exports.h for why not library_info::symbols()).
  std::vector<std::string> sections;
  try {
    boost::dll::library_info info(file, true);
    sections = info.sections();
  } catch (const std::exception &e) {
    fail_plugin(file.string() + " is not a shared object for this platform (" + e.what() + ")");
  }
  std::string why;
  const auto exports = read_elf_exports(file, &why);
  if (!exports) fail_plugin(file.string() + " is not a shared object for this platform (" + why + ")");
  const std::vector<std::string> &symbols = exports->functions;
  const auto manifest = read_manifest(file);
  const auto insecure = insecure_plugin_reason(file);
  const bool has_entry = std::find(symbols.begin(), symbols.end(), KUPHOST_ENTRY_V1) != symbols.end();
  std::ostringstream text;
  text << "file:      " << fs::absolute(file).string() << "\n";
  text << "id:        " << (manifest ? manifest->id : "unknown (no kuphost manifest)") << "\n";
  text << "version:   " << (manifest ? manifest->version : "unknown") << "\n";
  text << "abi:       " << (manifest ? manifest->abi : "unknown") << "\n";
  text << "entry:     " << (has_entry ? KUPHOST_ENTRY_V1 : "missing") << "\n";
  text << "exports:   " << join(symbols, ", ") << "\n";
  if (!exports->objects.empty()) text << "data:      " << join(exports->objects, ", ") << "\n";
  text << "security:  " << (insecure ? "refused: " + *insecure : std::string("ok")) << "\n";
  if (loaded) {
    const std::string commands = command_lines(*loaded, "  ");
    text << "commands:  " << (commands.empty() ? "none\n" : "\n" + commands);
    text << "(loaded from the plugin search path; its entry function was called)\n";
  } else {
    text << "(read from the file; no plugin code was run)\n";
  }
  print_output(o, text.str(),
               Value(Value::Map{{"kind", "PluginInspection"},
                                {"file", fs::absolute(file).string()},
                                {"id", manifest ? Value(manifest->id) : Value()},
                                {"version", manifest ? Value(manifest->version) : Value()},
                                {"abi", manifest ? Value(manifest->abi) : Value()},
                                {"entry", has_entry},
                                {"exports", Value::strings(symbols)},
                                {"exportedData", Value::strings(exports->objects)},
                                {"sections", Value::strings(sections)},
                                {"commands", loaded ? command_values(*loaded) : Value()},
                                {"insecure", insecure ? Value(*insecure) : Value()}}));
  return has_entry ? ExitCode::kOk : ExitCode::kPluginError;
}

}  // namespace

ExitCode run_plugins(const Options &o) {
  if (o.args.empty() || o.args[0] == "list") return plugins_list(o);
  if (o.args[0] == "inspect") return plugins_inspect(o);
  fail_input("unknown plugins subcommand '" + o.args[0] + "': use list or inspect FILE");
}

// sandbox up / down: the sandbox's API server.
ExitCode sandbox_server(const Options &o) {
  const std::string &verb = o.args[0];
  if (o.args.size() != 2) fail_input("usage: kuphost sandbox " + verb + " DIR" + (verb == "up" ? " [--port N]" : ""));
  for (const auto &flag : o.sandbox_flags_given)
    if (flag != "--port" || verb != "up") fail_input(flag + " is not an option of `kuphost sandbox " + verb + "`");
  const fs::path dir = o.args[1];
  std::string message, err;
  const bool ok = verb == "up" ? sandbox::apiserver_up(dir, apiserver_path(), o.port, &message, &err)
                               : sandbox::apiserver_down(dir, &message, &err);
  if (!ok) fail_input(err);
  std::cout << message << "\n";
  return ExitCode::kOk;
}

// sandbox calico-release OUT: the release the sandbox's Calico comes from.
ExitCode sandbox_calico_release(const Options &o) {
  if (o.args.size() != 2) fail_input("usage: kuphost sandbox calico-release OUT [--calico-version V]");
  for (const auto &flag : o.sandbox_flags_given)
    if (flag != "--calico-version") fail_input(flag + " is not an option of `kuphost sandbox calico-release`");
  std::string sha256, err;
  if (!sandbox::write_calico_release(o.args[1], o.calico_version, &sha256, &err)) fail_input(err);
  const std::string bundle = "release-" + o.calico_version + ".tgz";
  print_output(o, "[sandbox] Wrote " + (fs::path(o.args[1]) / ("release-" + o.calico_version)).string() + "/manifests and " +
                      (fs::path(o.args[1]) / bundle).string() + "\nSHA256 (" + bundle + ") = " + sha256 + "\n",
               Value(Value::Map{{"kind", "CalicoRelease"}, {"version", o.calico_version},
                                {"bundle", (fs::path(o.args[1]) / bundle).string()}, {"sha256", sha256}}));
  return ExitCode::kOk;
}

ExitCode run_sandbox(const Options &o) {
  if (!o.args.empty() && (o.args[0] == "up" || o.args[0] == "down")) return sandbox_server(o);
  if (!o.args.empty() && o.args[0] == "calico-release") return sandbox_calico_release(o);
  if (o.args.empty() || o.args[0] != "create" || o.args.size() != 2)
    fail_input("usage: kuphost sandbox create|up|down DIR (create: [--kubernetes-version V] [--distro D] [--nodes LIST] "
               "[--etcd E] [--calico operator|manifest [--calico-version V]]; up: [--port N]) | calico-release OUT");
  if (std::find(o.sandbox_flags_given.begin(), o.sandbox_flags_given.end(), "--port") != o.sandbox_flags_given.end())
    fail_input("--port is an option of `kuphost sandbox up`");
  sandbox::Spec spec;
  spec.dir = o.args[1];
  spec.kubernetes_version = o.kubernetes_version;
  spec.distro = o.distro;
  spec.etcd = o.etcd;
  spec.key_type = o.key_type;
  spec.cert_validity_days = o.cert_validity_days;
  spec.packages = o.packages;
  spec.calico = o.calico;
  spec.calico_version = o.calico_version;
  if (o.calico.empty() && std::find(o.sandbox_flags_given.begin(), o.sandbox_flags_given.end(), "--calico-version") !=
                             o.sandbox_flags_given.end())
    fail_input("--calico-version needs --calico operator|manifest");
  std::string err;
  auto nodes = sandbox::parse_node_list(o.nodes, &err);
  if (!nodes) fail_input(err);
  spec.nodes = *nodes;
  spec.node_sim = executable_dir().parent_path() / "libexec" / "kuphost" / "kuphost-node-sim";
  if (!fs::exists(spec.node_sim))
    fail_input("the sandbox node simulator is missing at " + spec.node_sim.string() + "; reinstall kuphost");
  if (!sandbox::create(spec, &err)) fail_input(err);
  std::ostringstream text;
  text << "[sandbox] Created " << spec.dir.string() << ": Kubernetes " << spec.kubernetes_version << " on "
       << spec.distro << ", etcd " << spec.etcd << (spec.packages == "real" ? ", real packages" : "")
       << (spec.calico.empty() ? "" : ", Calico " + spec.calico_version + " (" + spec.calico + ")") << "\n";
  Value::List list;
  for (const auto &n : spec.nodes) {
    text << "[sandbox]   node " << n.name << " (" << n.role << "): " << (spec.dir / "nodes" / n.name / "root").string() << "\n";
    list.emplace_back(Value::Map{{"name", n.name}, {"role", n.role}, {"root", (spec.dir / "nodes" / n.name / "root").string()}});
  }
  text << "[sandbox] Try: kuphost --sandbox " << spec.dir.string() << " --node " << spec.nodes.front().name << " plan v1.31.2\n";
  print_output(o, text.str(), Value(Value::Map{{"kind", "Sandbox"}, {"dir", spec.dir.string()},
                                               {"kubernetesVersion", spec.kubernetes_version},
                                               {"nodes", Value(std::move(list))}}));
  return ExitCode::kOk;
}

ExitCode run_version(const Options &o) {
  const std::string abi = std::to_string(KUPHOST_ABI_MAJOR) + "." + std::to_string(KUPHOST_ABI_MINOR);
  print_output(o, "kuphost " KUPHOST_VERSION " (plugin ABI " + abi + ")\n",
               Value(Value::Map{{"kuphost", KUPHOST_VERSION}, {"pluginAbi", abi}}));
  return ExitCode::kOk;
}

}  // namespace kuphost
