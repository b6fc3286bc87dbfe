#include "run/target_version.h"

#include <unistd.h>

#include <kuphost/ext/package_manager.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "abi/plugin_runtime.h"
#include "abi/run_env.h"
#include "services/logging.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace {

namespace fs = std::filesystem;

constexpr const char *kAcceptedForms =
    "expected vMAJOR.MINOR.PATCH, e.g. v1.31.2 (pre-releases as v1.32.0-rc.1), MAJOR.MINOR.PATCH, MAJOR.MINOR "
    "(1.31: its newest patch), latest-patch or next-minor";

// kubeadm is the package whose versions decide: it is upgraded first, and
// kubelet and kubectl follow it to the same version.
constexpr const char *kDecidingPackage = "kubeadm";

std::string minor_text(int major, int minor) { return "v" + std::to_string(major) + "." + std::to_string(minor); }

// "1.31" -> {1, 31}; a number has no sign, no leading zero, at most four digits.
std::optional<std::pair<int, int>> parse_minor(std::string_view text) {
  int parts[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 4 || (digits > 1 && text[0] == '0')) return std::nullopt;
    parts[i] = std::stoi(std::string(text.substr(0, digits)));
    text.remove_prefix(digits);
    if (i == 0) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return std::pair{parts[0], parts[1]};
}

// The node's scratch directory for one resolution: created empty before
// the provider is called, removed with whatever the provider left in it
// (and the parents it had to create) afterwards, also when the call throws.
class ScratchDir {
 public:
  explicit ScratchDir(RunEnv &env) : env_(env) {
    const std::string node_path = "/var/lib/kuphost/tmp/versions-" + std::to_string(::getpid());
    const auto host_path = env.root.map(node_path);
    if (!host_path) return;
    // The topmost directory that does not exist yet is the one to remove.
    fs::path created = *host_path;
    std::error_code ec;
    for (fs::path p = *host_path; !p.empty() && p != env.root.root() && !fs::exists(p, ec); p = p.parent_path())
      created = p;
    if (fs::exists(*host_path, ec)) fs::remove_all(*host_path, ec);  // left over by a killed run
    if (!fs::create_directories(*host_path, ec) && ec) return;
    fs::permissions(*host_path, fs::perms::owner_all, ec);
    remove_ = created;
    env.scratch_dir = node_path;
  }
  ~ScratchDir() {
    env_.scratch_dir.clear();
    std::error_code ec;
    if (!remove_.empty()) fs::remove_all(remove_, ec);
  }
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;

 private:
  RunEnv &env_;
  fs::path remove_;
};

// kuphost.package-manager/1 as the host calls it, outside any phase.
class ExtensionVersionSource final : public PackageVersionSource {
 public:
  ExtensionVersionSource(RunEnv &env, const kup_package_manager &table, std::string provider)
      : env_(env), provider_(std::move(provider)) {
    // A provider built against an older header publishes a shorter table.
    std::memcpy(&table_, &table, std::min<size_t>(table.struct_size, sizeof table_));
    table_.struct_size = table.struct_size;
    self_ = &table;
  }

  std::string manager() const override {
    return table_.manager.ptr ? std::string(table_.manager.ptr, table_.manager.len) : provider_;
  }

  std::vector<std::string> configured_versions(const std::string &package) override {
    if (!table_.available_versions) fail("has no available_versions");
    return call([&](const kup_sink *out, const kup_error *error) {
      return table_.available_versions(self_, kup_str{package.data(), package.size()}, out, error);
    }, "cannot list the versions of " + package);
  }

  std::optional<std::vector<std::string>> versions_in_minor(const std::string &package,
                                                            const std::string &minor) override {
    if (table_.struct_size < sizeof table_ || !table_.available_versions_in_minor) return std::nullopt;
    const ScratchDir scratch(env_);
    return call([&](const kup_sink *out, const kup_error *error) {
      return table_.available_versions_in_minor(self_, kup_str{package.data(), package.size()},
                                                kup_str{minor.data(), minor.size()}, out, error);
    }, "cannot list the " + minor + " versions of " + package);
  }

 private:
  struct Sinks {
    std::string out, message;
    kup_status code = KUP_OK;
  };
  static void KUP_ABI write_out(const kup_sink *self, const char *data, size_t len) {
    static_cast<Sinks *>(self->host_ctx)->out.append(data, len);
  }
  static void KUP_ABI set_error(const kup_error *self, kup_status code, kup_str message, kup_str) {
    auto *s = static_cast<Sinks *>(self->host_ctx);
    if (s->code != KUP_OK) return;
    s->code = code;
    s->message = message.ptr ? std::string(message.ptr, message.len) : std::string();
  }

  template <class Fn>
  std::vector<std::string> call(Fn fn, const std::string &what) {
    Sinks sinks;
    const kup_sink out{sizeof(kup_sink), &sinks, &write_out};
    const kup_error error{sizeof(kup_error), &sinks, &set_error};
    const kup_status st = fn(&out, &error);
    if (st != KUP_OK)
      fail_input("cannot resolve the target version: " + manager() + " (plugin " + provider_ + ") " + what + ": " +
                 (sinks.message.empty() ? "status " + std::to_string(st) : sinks.message));
    std::vector<std::string> versions;
    for (const auto &line : split(sinks.out, '\n')) {
      const std::string v(trim(line));
      if (!v.empty()) versions.push_back(v);
    }
    return versions;
  }
  [[noreturn]] void fail(const std::string &what) const {
    fail_plugin("the " KUP_EXT_PACKAGE_MANAGER_V1 " table of plugin " + provider_ + " " + what +
                "; upgrade that plugin");
  }

  RunEnv &env_;
  std::string provider_;
  kup_package_manager table_{};
  const kup_package_manager *self_ = nullptr;
};

}  // namespace

std::optional<TargetSpec> parse_target_spec(std::string_view text, std::string *error) {
  TargetSpec spec;
  spec.text = std::string(text);
  if (text == "latest-patch") {
    spec.kind = TargetSpec::Kind::kLatestPatch;
    return spec;
  }
  if (text == "next-minor") {
    spec.kind = TargetSpec::Kind::kNextMinor;
    return spec;
  }
  if (auto exact = parse_version(text)) {
    spec.exact = *exact;
    return spec;
  }
  if (auto minor = parse_minor(text)) {
    spec.kind = TargetSpec::Kind::kMinor;
    spec.major = minor->first;
    spec.minor = minor->second;
    return spec;
  }
  *error = "invalid version '" + std::string(text) + "': " + kAcceptedForms;
  return std::nullopt;
}

bool PreReleasePolicy::allows(const Version &v) const {
  if (v.pre.empty() || experimental) return true;
  return release_candidates && v.pre.rfind("rc.", 0) == 0;
}

std::optional<Version> version_of_package(std::string_view package_version) {
  if (const auto colon = package_version.find(':'); colon != std::string_view::npos)
    package_version.remove_prefix(colon + 1);
  if (const auto dash = package_version.rfind('-'); dash != std::string_view::npos)
    package_version = package_version.substr(0, dash);
  std::string upstream(package_version);
  // Packages spell "1.32.0-rc.1" as "1.32.0~rc.1" so that it sorts before 1.32.0.
  std::replace(upstream.begin(), upstream.end(), '~', '-');
  if (upstream.empty() || upstream.front() == 'v') return std::nullopt;
  return parse_version(upstream);
}

std::optional<Version> newest_in_minor(const std::vector<std::string> &package_versions, int major, int minor,
                                       const PreReleasePolicy &policy) {
  std::optional<Version> best;
  for (const auto &pv : package_versions) {
    const auto v = version_of_package(pv);
    if (!v || v->major != major || v->minor != minor || !policy.allows(*v)) continue;
    if (!best || v->compare(*best) > 0) best = v;
  }
  return best;
}

ResolvedTarget resolve_target(const TargetSpec &spec, const std::optional<Version> &current,
                              PackageVersionSource &source, const PreReleasePolicy &policy) {
  if (!spec.needs_resolution()) return {spec.exact, "as given"};
  int major = spec.major, minor = spec.minor;
  std::string why;
  if (spec.kind == TargetSpec::Kind::kMinor) {
    why = "newest patch of " + minor_text(major, minor);
  } else {
    if (!current)
      fail_input("cannot resolve '" + spec.text +
                 "': this node's Kubernetes version is unknown (no control-plane manifest or kubelet found); "
                 "give the version, e.g. v1.31.2");
    major = current->major;
    minor = current->minor + (spec.kind == TargetSpec::Kind::kNextMinor ? 1 : 0);
    why = std::string(spec.kind == TargetSpec::Kind::kNextMinor ? "newest patch of the next minor, "
                                                                : "newest patch of the current minor, ") +
          minor_text(major, minor);
  }
  const std::string wanted = minor_text(major, minor);
  // pkgs.k8s.io has one repository per minor: the configured one answers
  // for its own minor only, any other needs the provider's private look.
  std::vector<std::string> offered = source.configured_versions(kDecidingPackage);
  const bool configured_has_minor = std::any_of(offered.begin(), offered.end(), [&](const std::string &pv) {
    const auto v = version_of_package(pv);
    return v && v->major == major && v->minor == minor;
  });
  if (!configured_has_minor) {
    auto other = source.versions_in_minor(kDecidingPackage, wanted);
    if (!other)
      fail_input("cannot resolve '" + spec.text + "': the repository configured on this node offers no " + wanted +
                 " kubeadm and " + source.manager() + "'s plugin cannot look at another minor's repository; give "
                 "the version, e.g. " + wanted + ".0");
    offered = std::move(*other);
  }
  const auto picked = newest_in_minor(offered, major, minor, policy);
  if (!picked) {
    const auto any = newest_in_minor(offered, major, minor, PreReleasePolicy{true, true});
    if (any)
      fail_input("cannot resolve '" + spec.text + "': " + source.manager() + " offers only pre-releases of " + wanted +
                 " (newest " + any->str() + "); pass --allow-experimental-upgrades" +
                 (any->pre.rfind("rc.", 0) == 0 ? " or --allow-release-candidate-upgrades" : "") +
                 ", or give the version");
    fail_input("cannot resolve '" + spec.text + "': " + source.manager() + " finds no kubeadm " + wanted +
               ".x on pkgs.k8s.io; check that " + wanted + " is released, or give an exact version");
  }
  return {*picked, why + ", from " + source.manager()};
}

std::string resolve_target_for_run(const TargetSpec &spec, RunEnv &env, PluginRuntime &runtime) {
  if (!spec.needs_resolution()) return spec.exact.str();
  std::string provider;
  const auto *table =
      static_cast<const kup_package_manager *>(runtime.find_extension(KUP_EXT_PACKAGE_MANAGER_V1, &provider));
  if (!table)
    fail_input("cannot resolve '" + spec.text + "' on node " + env.facts.node_name + ": no selected plugin serves " +
               KUP_EXT_PACKAGE_MANAGER_V1 + " here (apt or yum on Linux nodes); give an exact version, e.g. v1.31.2");
  if (table->struct_size < KUP_PACKAGE_MANAGER_MIN_SIZE)
    fail_plugin("the " KUP_EXT_PACKAGE_MANAGER_V1 " table of plugin " + provider + " is " +
                std::to_string(table->struct_size) + " bytes, less than the " +
                std::to_string(KUP_PACKAGE_MANAGER_MIN_SIZE) + " every provider fills");
  ExtensionVersionSource source(env, *table, provider);
  const bool control_plane = env.facts.role != Role::kWorker;
  const auto &current = control_plane ? env.facts.control_plane_version : env.facts.kubelet_version;
  const PreReleasePolicy policy{env.facts.allow_experimental_upgrades, env.facts.allow_release_candidate_upgrades};
  const ResolvedTarget target = resolve_target(spec, current, source, policy);
  logging::write(KUP_LOG_INFO, "[upgrade/versions] Target version: " + target.version.str() + " (" + target.why + ")");
  return target.version.str();
}

}  // namespace kuphost
