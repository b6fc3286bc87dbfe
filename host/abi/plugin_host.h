// The kup_host and the service tables one plugin sees. Each plugin gets its
// own instance, so every callback knows which plugin is calling. Owned by
// the PluginRuntime; stays at a fixed address until the plugin's deinit.
#pragma once

#include <functional>
#include <string>

#include <kuphost/kuphost.h>

#include "abi/run_env.h"
#include "loader/plugin.h"

namespace kuphost {

class PluginHost {
 public:
  // `find_extension`: resolves an extension id to its table and provider id.
  using ExtensionLookup = std::function<const void *(const std::string &id, std::string *provider)>;

  PluginHost(RunEnv &env, const LoadedPlugin &plugin, ExtensionLookup find_extension);
  PluginHost(const PluginHost &) = delete;
  PluginHost &operator=(const PluginHost &) = delete;

  const kup_host *host() const { return &host_; }
  const LoadedPlugin &plugin() const { return plugin_; }

 private:
  static const void *KUP_ABI get_service(const kup_host *self, kup_str id);
  static const void *KUP_ABI find_extension(const kup_host *self, kup_str id, const kup_sink *provider);

  static int32_t KUP_ABI log_enabled(const kup_log_service *self, int32_t level);
  static void KUP_ABI log_write(const kup_log_service *self, int32_t level, kup_str message);
  static kup_status KUP_ABI exec_run(const kup_exec_service *self, const kup_exec_request *request,
                                     kup_exec_result *result, const kup_error *error);
  static kup_status KUP_ABI config_section(const kup_config_service *self, const kup_sink *out);
  static kup_status KUP_ABI config_value(const kup_config_service *self, kup_str key, const kup_sink *out);
  static kup_status KUP_ABI facts_get(const kup_facts_service *self, kup_str key, const kup_sink *out);
  static kup_status KUP_ABI state_set(const kup_state_service *self, kup_str key, kup_bytes value,
                                      const kup_error *error);
  static kup_status KUP_ABI state_get(const kup_state_service *self, kup_str key, const kup_sink *out);
  static kup_status KUP_ABI state_set_shared(const kup_state_service *self, kup_str key, kup_bytes value,
                                             const kup_error *error);
  static kup_status KUP_ABI state_get_shared(const kup_state_service *self, kup_str key, const kup_sink *out);
  kup_status store(std::string *slot, kup_bytes value, const kup_error *error);
  static kup_status KUP_ABI fs_resolve(const kup_fs_service *self, kup_str path, const kup_sink *out);
  static kup_status KUP_ABI fs_stat(const kup_fs_service *self, kup_str path, kup_file_info *info);
  static kup_status KUP_ABI fs_read(const kup_fs_service *self, kup_str path, const kup_sink *out,
                                    const kup_error *error);
  static kup_status KUP_ABI fs_write(const kup_fs_service *self, kup_str path, kup_bytes data,
                                     uint32_t mode, const kup_error *error);
  static kup_status KUP_ABI fs_make_dirs(const kup_fs_service *self, kup_str path, uint32_t mode,
                                         const kup_error *error);
  static kup_status KUP_ABI fs_list(const kup_fs_service *self, kup_str path, const kup_sink *out,
                                    const kup_error *error);
  static int64_t KUP_ABI clock_now(const kup_clock_service *self);
  static int64_t KUP_ABI clock_monotonic(const kup_clock_service *self);
  static kup_status KUP_ABI clock_sleep(const kup_clock_service *self, uint32_t ms);

  kup_status exec(const kup_exec_request &request, kup_exec_result *result, const kup_error *error);
  kup_status write_file(const std::string &path, const std::string &data, uint32_t mode,
                        const kup_error *error);
  kup_status refuse_change(const std::string &what, const kup_error *error);
  bool backup_before_write(const std::string &node_path, std::string *err);

  RunEnv &env_;
  const LoadedPlugin &plugin_;
  ExtensionLookup lookup_;
  kup_host host_{};
  kup_log_service log_{};
  kup_exec_service exec_{};
  kup_config_service config_{};
  kup_facts_service facts_{};
  kup_state_service state_{};
  kup_fs_service fs_{};
  kup_clock_service clock_{};
};

// Helpers for writing into a host or plugin sink and setting an error.
void write_sink(const kup_sink *sink, std::string_view text);
kup_status set_error(const kup_error *error, kup_status code, std::string_view message,
                     std::string_view details = {});

}  // namespace kuphost
