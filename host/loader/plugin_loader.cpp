#include "loader/plugin_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include "loader/elf_exports.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace fs = std::filesystem;

const uint32_t kMinPluginSize = KUP_PLUGIN_MIN_SIZE;
const uint32_t kMinPhaseDescSize = KUP_PHASE_DESC_MIN_SIZE;
const uint32_t kMinConfigKeySize = KUP_CONFIG_KEY_MIN_SIZE;
const uint32_t kMinCommandDescSize = KUP_COMMAND_DESC_MIN_SIZE;

namespace {

[[noreturn]] void refuse(const fs::path &file, const std::string &why) {
  fail_plugin("cannot load plugin " + file.string() + ": " + why);
}

std::string sv(kup_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

bool valid_id(const std::string &id) {
  static const std::regex re("^[a-z0-9][a-z0-9-]{0,62}$");
  return std::regex_match(id, re);
}

// Copies a plugin-owned struct into a zeroed host copy: min(struct_size,
// sizeof(T)) bytes, after checking the ABI 1.0 minimum.
template <class T>
T copy_struct(const T *src, uint32_t min_size, const fs::path &file, const std::string &what) {
  if (!src) refuse(file, what + " is NULL");
  const uint32_t size = src->struct_size;
  if (size < min_size)
    refuse(file, what + " struct_size " + std::to_string(size) + " is smaller than ABI 1.0's " +
                     std::to_string(min_size) + " bytes; rebuild the plugin against kuphost.h");
  if (size > sizeof(T))
    spdlog::debug("[plugins] {}: {} has struct_size {} (newer than this host's {}); extra fields ignored",
                  file.string(), what, size, sizeof(T));
  T copy{};
  std::memcpy(&copy, src, std::min<size_t>(size, sizeof(T)));
  copy.struct_size = size;
  return copy;
}

std::vector<std::string> str_list(const kup_str *list, uint32_t count) {
  std::vector<std::string> out;
  for (uint32_t i = 0; list && i < count; ++i) out.push_back(sv(list[i]));
  return out;
}

void check_entry_symbol(const fs::path &file) {
  std::string why;
  const auto exports = read_elf_exports(file, &why);
  if (!exports) refuse(file, "not a shared object for this platform (" + why + ")");
  const auto &symbols = exports->functions;
  if (std::find(symbols.begin(), symbols.end(), KUPHOST_ENTRY_V1) != symbols.end()) return;
  static const std::regex other_major("^kuphost_plugin_v([0-9]+)$");
  for (const auto &s : symbols) {
    std::smatch m;
    if (std::regex_match(s, m, other_major))
      refuse(file, "it exports " + s + " only: built for kuphost plugin ABI " + m[1].str() +
                       ", this kuphost speaks ABI 1; install the plugin's ABI 1 build");
  }
  refuse(file, "no entry symbol " KUPHOST_ENTRY_V1 "; define it with KUPHOST_PLUGIN() and build "
               "with kuphost_add_plugin() (sdk/ABI.md)");
}

void check_phase(const PhaseInfo &p, const fs::path &file) {
  if (!valid_id(p.id))
    refuse(file, "phase id '" + p.id + "' of plugin " + p.plugin + " is not [a-z0-9-]+");
  if (!p.apply) refuse(file, "phase " + p.qualified_id() + " has no apply function");
  if (p.stage >= KUP_STAGE_COUNT_V1_0)
    refuse(file, "phase " + p.qualified_id() + " declares stage " + std::to_string(p.stage) +
                     ", unknown to this kuphost (ABI 1." + std::to_string(KUPHOST_ABI_MINOR) +
                     "); upgrade kuphost");
}

// Copies the plugin's commands; a 1.0 descriptor has none (zero-filled).
std::vector<CommandInfo> read_commands(const kup_plugin &d, const std::string &plugin_id, const fs::path &file) {
  std::vector<CommandInfo> commands;
  std::set<std::string> seen;
  for (uint32_t i = 0; d.commands && i < d.command_count; ++i) {
    const kup_command_desc cd = copy_struct(d.commands[i], kMinCommandDescSize, file,
                                            "command descriptor #" + std::to_string(i));
    CommandInfo c{plugin_id, sv(cd.name), sv(cd.usage), sv(cd.summary), cd.flags, cd.run, {}};
    if (!valid_id(c.name))
      refuse(file, "command name '" + c.name + "' of plugin " + plugin_id + " is not [a-z0-9-]+");
    if (!c.run) refuse(file, "command " + c.name + " of plugin " + plugin_id + " has no run function");
    if (!seen.insert(c.name).second)
      refuse(file, "plugin " + plugin_id + " declares command '" + c.name + "' twice");
    if (c.usage.empty()) c.usage = c.name;
    for (uint32_t w = 0; cd.read_only_words && w < cd.read_only_word_count; ++w)
      c.read_only_words.emplace_back(sv(cd.read_only_words[w]));
    commands.push_back(std::move(c));
  }
  return commands;
}

}  // namespace

std::optional<std::string> insecure_plugin_reason(const fs::path &file) {
  const uid_t me = ::geteuid();
  for (const fs::path &p : {file, file.parent_path().empty() ? fs::path(".") : file.parent_path()}) {
    struct stat sb {};
    if (::stat(p.c_str(), &sb) != 0) return std::nullopt;  // missing: reported by the loader
    if (sb.st_uid != 0 && sb.st_uid != me)
      return p.string() + " is owned by uid " + std::to_string(sb.st_uid) +
             ", neither root nor the invoking user";
    if (sb.st_mode & (S_IWGRP | S_IWOTH))
      return p.string() + " is writable by " + ((sb.st_mode & S_IWOTH) ? "everyone" : "its group") +
             " (mode " + [&] {
               char buf[8];
               std::snprintf(buf, sizeof buf, "%04o", sb.st_mode & 07777);
               return std::string(buf);
             }() + ")";
  }
  return std::nullopt;
}

LoadedPlugin load_plugin(const fs::path &file, bool allow_insecure) {
  std::error_code ec;
  if (!fs::exists(file, ec)) refuse(file, "no such file");
  if (!fs::is_regular_file(file, ec)) refuse(file, "not a regular file");
  if (auto why = insecure_plugin_reason(file)) {
    if (!allow_insecure)
      refuse(file, *why + "; fix the permissions or pass --allow-insecure-plugin-dir");
    spdlog::warn("[plugins] loading {} although {}", file.string(), *why);
  }
  check_entry_symbol(file);

  auto lib = std::make_shared<boost::dll::shared_library>();
  try {
    ::dlerror();
    lib->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception &e) {
    // Boost.DLL reports only "Bad file descriptor"; dlerror() has the reason.
    const char *why = ::dlerror();
    refuse(file, why ? why : e.what());
  }
  kup_entry_v1_fn entry = &lib->get<std::remove_pointer_t<kup_entry_v1_fn>>(KUPHOST_ENTRY_V1);
  const kup_plugin *raw = entry(KUPHOST_ABI_MINOR);
  if (!raw)
    refuse(file, KUPHOST_ENTRY_V1 "() returned NULL: the plugin declined this kuphost (ABI 1." +
                     std::to_string(KUPHOST_ABI_MINOR) + "); it needs a newer kuphost");
  if (raw->abi_major != KUPHOST_ABI_MAJOR)
    refuse(file, "its descriptor says ABI major " + std::to_string(raw->abi_major) +
                     ", this kuphost speaks ABI " + std::to_string(KUPHOST_ABI_MAJOR));

  LoadedPlugin p;
  p.descriptor = copy_struct(raw, kMinPluginSize, file, "plugin descriptor");
  const kup_plugin &d = p.descriptor;
  p.path = fs::absolute(file).lexically_normal();
  p.library = lib;
  p.descriptor_size = d.struct_size;
  p.id = sv(d.id);
  p.version = sv(d.version);
  p.description = sv(d.description);
  p.abi_major = d.abi_major;
  p.abi_minor = d.abi_minor;
  if (!valid_id(p.id)) refuse(file, "plugin id '" + p.id + "' is not [a-z0-9-]+");
  if (p.version.empty()) refuse(file, "plugin " + p.id + " has an empty version");
  p.aliases = str_list(d.aliases, d.alias_count);
  for (const auto &a : p.aliases)
    if (!valid_id(a)) refuse(file, "alias '" + a + "' of plugin " + p.id + " is not [a-z0-9-]+");
  p.extensions = str_list(d.extensions, d.extension_count);
  if (d.extension_count && !d.get_extension)
    refuse(file, "plugin " + p.id + " lists extensions but has no get_extension function");

  std::set<std::string> seen;
  for (uint32_t i = 0; d.phases && i < d.phase_count; ++i) {
    const kup_phase_desc pd = copy_struct(d.phases[i], kMinPhaseDescSize, file,
                                          "phase descriptor #" + std::to_string(i));
    PhaseInfo ph;
    ph.plugin = p.id;
    ph.id = sv(pd.id);
    ph.title = sv(pd.title);
    ph.description = sv(pd.description);
    ph.stage = static_cast<kup_stage>(pd.stage);
    ph.order = pd.order;
    ph.after = str_list(pd.after, pd.after_count);
    ph.before = str_list(pd.before, pd.before_count);
    ph.distro_families = pd.distro_families;
    ph.roles = pd.roles;
    ph.etcd_topologies = pd.etcd_topologies;
    ph.requires_extension = sv(pd.requires_extension);
    ph.flags = pd.flags;
    ph.plan = pd.plan;
    ph.apply = pd.apply;
    ph.verify = pd.verify;
    ph.rollback = pd.rollback;
    check_phase(ph, file);
    if (!seen.insert(ph.id).second)
      refuse(file, "plugin " + p.id + " declares phase '" + ph.id + "' twice");
    if (ph.title.empty()) ph.title = ph.id;
    p.phases.push_back(std::move(ph));
  }
  for (uint32_t i = 0; d.config_keys && i < d.config_key_count; ++i) {
    const kup_config_key k = copy_struct(d.config_keys[i], kMinConfigKeySize, file,
                                         "config key #" + std::to_string(i));
    ConfigKeyInfo key;
    key.name = sv(k.name);
    key.type = static_cast<kup_config_type>(k.type);
    key.default_value = sv(k.default_value);
    key.description = sv(k.description);
    if (key.name.empty()) refuse(file, "plugin " + p.id + " declares a config key without a name");
    p.config_keys.push_back(std::move(key));
  }
  p.commands = read_commands(d, p.id, file);
  spdlog::debug("[plugins] loaded {} {} (ABI {}.{}, descriptor {} bytes) from {}", p.id, p.version,
                p.abi_major, p.abi_minor, p.descriptor_size, p.path.string());
  return p;
}

bool LoadedPlugin::provides_extension(const std::string &ext) const {
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

bool LoadedPlugin::has_alias(const std::string &name) const {
  return std::find(aliases.begin(), aliases.end(), name) != aliases.end();
}

const CommandInfo *LoadedPlugin::command(const std::string &name) const {
  for (const auto &c : commands)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace kuphost
