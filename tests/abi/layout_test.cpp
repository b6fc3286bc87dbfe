// Pins the layout of every public struct of the C ABI (LP64: x86_64,
// aarch64). A change here breaks every plugin already built: structs may
// only grow at the end, and only with a new minor (sdk/ABI.md).
#include <cstddef>

#include <gtest/gtest.h>
#include <kuphost/ext/backup_set.h>
#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.h>

#if !defined(__LP64__)
#error "Pin the ABI layout for this data model before building the tests here."
#endif

TEST(AbiLayout, EveryPublicStructIsPinned) {
  EXPECT_EQ(sizeof(kup_str), 16u);
  EXPECT_EQ(offsetof(kup_str, len), 8u);
  EXPECT_EQ(sizeof(kup_bytes), 16u);
  EXPECT_EQ(offsetof(kup_bytes, len), 8u);
  EXPECT_EQ(sizeof(kup_sink), 24u);
  EXPECT_EQ(offsetof(kup_sink, host_ctx), 8u);
  EXPECT_EQ(offsetof(kup_sink, write), 16u);
  EXPECT_EQ(sizeof(kup_error), 24u);
  EXPECT_EQ(offsetof(kup_error, host_ctx), 8u);
  EXPECT_EQ(offsetof(kup_error, set), 16u);
  EXPECT_EQ(sizeof(kup_host), 64u);
  EXPECT_EQ(offsetof(kup_host, abi_major), 4u);
  EXPECT_EQ(offsetof(kup_host, abi_minor), 6u);
  EXPECT_EQ(offsetof(kup_host, name), 8u);
  EXPECT_EQ(offsetof(kup_host, version), 24u);
  EXPECT_EQ(offsetof(kup_host, host_ctx), 40u);
  EXPECT_EQ(offsetof(kup_host, get_service), 48u);
  EXPECT_EQ(offsetof(kup_host, find_extension), 56u);
  EXPECT_EQ(sizeof(kup_phase_call), 80u);
  EXPECT_EQ(offsetof(kup_phase_call, host_ctx), 8u);
  EXPECT_EQ(offsetof(kup_phase_call, phase_id), 16u);
  EXPECT_EQ(offsetof(kup_phase_call, target_version), 32u);
  EXPECT_EQ(offsetof(kup_phase_call, flags), 48u);
  EXPECT_EQ(offsetof(kup_phase_call, out), 56u);
  EXPECT_EQ(offsetof(kup_phase_call, error), 64u);
  EXPECT_EQ(offsetof(kup_phase_call, set_outcome), 72u);
  EXPECT_EQ(sizeof(kup_phase_desc), 160u);
  EXPECT_EQ(offsetof(kup_phase_desc, id), 8u);
  EXPECT_EQ(offsetof(kup_phase_desc, title), 24u);
  EXPECT_EQ(offsetof(kup_phase_desc, description), 40u);
  EXPECT_EQ(offsetof(kup_phase_desc, stage), 56u);
  EXPECT_EQ(offsetof(kup_phase_desc, order), 60u);
  EXPECT_EQ(offsetof(kup_phase_desc, after), 64u);
  EXPECT_EQ(offsetof(kup_phase_desc, after_count), 72u);
  EXPECT_EQ(offsetof(kup_phase_desc, before), 80u);
  EXPECT_EQ(offsetof(kup_phase_desc, before_count), 88u);
  EXPECT_EQ(offsetof(kup_phase_desc, distro_families), 92u);
  EXPECT_EQ(offsetof(kup_phase_desc, roles), 96u);
  EXPECT_EQ(offsetof(kup_phase_desc, etcd_topologies), 100u);
  EXPECT_EQ(offsetof(kup_phase_desc, requires_extension), 104u);
  EXPECT_EQ(offsetof(kup_phase_desc, flags), 120u);
  EXPECT_EQ(offsetof(kup_phase_desc, plan), 128u);
  EXPECT_EQ(offsetof(kup_phase_desc, apply), 136u);
  EXPECT_EQ(offsetof(kup_phase_desc, verify), 144u);
  EXPECT_EQ(offsetof(kup_phase_desc, rollback), 152u);
  EXPECT_EQ(sizeof(kup_config_key), 64u);
  EXPECT_EQ(offsetof(kup_config_key, name), 8u);
  EXPECT_EQ(offsetof(kup_config_key, type), 24u);
  EXPECT_EQ(offsetof(kup_config_key, default_value), 32u);
  EXPECT_EQ(offsetof(kup_config_key, description), 48u);
  EXPECT_EQ(sizeof(kup_plugin), 160u);
  EXPECT_EQ(offsetof(kup_plugin, abi_major), 4u);
  EXPECT_EQ(offsetof(kup_plugin, abi_minor), 6u);
  EXPECT_EQ(offsetof(kup_plugin, id), 8u);
  EXPECT_EQ(offsetof(kup_plugin, version), 24u);
  EXPECT_EQ(offsetof(kup_plugin, description), 40u);
  EXPECT_EQ(offsetof(kup_plugin, aliases), 56u);
  EXPECT_EQ(offsetof(kup_plugin, alias_count), 64u);
  EXPECT_EQ(offsetof(kup_plugin, phases), 72u);
  EXPECT_EQ(offsetof(kup_plugin, phase_count), 80u);
  EXPECT_EQ(offsetof(kup_plugin, extensions), 88u);
  EXPECT_EQ(offsetof(kup_plugin, extension_count), 96u);
  EXPECT_EQ(offsetof(kup_plugin, config_keys), 104u);
  EXPECT_EQ(offsetof(kup_plugin, config_key_count), 112u);
  EXPECT_EQ(offsetof(kup_plugin, init), 120u);
  EXPECT_EQ(offsetof(kup_plugin, deinit), 128u);
  EXPECT_EQ(offsetof(kup_plugin, get_extension), 136u);
  EXPECT_EQ(offsetof(kup_plugin, commands), 144u);  // ABI 1.1: a 1.0 descriptor is 144 bytes
  EXPECT_EQ(offsetof(kup_plugin, command_count), 152u);
  EXPECT_EQ(sizeof(kup_command_call), 72u);
  EXPECT_EQ(offsetof(kup_command_call, host_ctx), 8u);
  EXPECT_EQ(offsetof(kup_command_call, command), 16u);
  EXPECT_EQ(offsetof(kup_command_call, args), 32u);
  EXPECT_EQ(offsetof(kup_command_call, arg_count), 40u);
  EXPECT_EQ(offsetof(kup_command_call, flags), 44u);
  EXPECT_EQ(offsetof(kup_command_call, output), 48u);
  EXPECT_EQ(offsetof(kup_command_call, out), 56u);
  EXPECT_EQ(offsetof(kup_command_call, error), 64u);
  EXPECT_EQ(sizeof(kup_command_desc), 88u);
  EXPECT_EQ(offsetof(kup_command_desc, name), 8u);
  EXPECT_EQ(offsetof(kup_command_desc, usage), 24u);
  EXPECT_EQ(offsetof(kup_command_desc, summary), 40u);
  EXPECT_EQ(offsetof(kup_command_desc, flags), 56u);
  EXPECT_EQ(offsetof(kup_command_desc, run), 64u);
  EXPECT_EQ(KUP_COMMAND_DESC_MIN_SIZE, 72u);  // a descriptor without read_only_words still loads
  EXPECT_EQ(offsetof(kup_command_desc, read_only_words), 72u);
  EXPECT_EQ(offsetof(kup_command_desc, read_only_word_count), 80u);
  EXPECT_EQ(sizeof(kup_log_service), 32u);
  EXPECT_EQ(offsetof(kup_log_service, host_ctx), 8u);
  EXPECT_EQ(offsetof(kup_log_service, enabled), 16u);
  EXPECT_EQ(offsetof(kup_log_service, write), 24u);
  EXPECT_EQ(sizeof(kup_exec_request), 80u);
  EXPECT_EQ(offsetof(kup_exec_request, argv), 8u);
  EXPECT_EQ(offsetof(kup_exec_request, argc), 16u);
  EXPECT_EQ(offsetof(kup_exec_request, env), 24u);
  EXPECT_EQ(offsetof(kup_exec_request, env_count), 32u);
  EXPECT_EQ(offsetof(kup_exec_request, stdin_data), 40u);
  EXPECT_EQ(offsetof(kup_exec_request, timeout_ms), 56u);
  EXPECT_EQ(offsetof(kup_exec_request, flags), 60u);
  EXPECT_EQ(offsetof(kup_exec_request, stdout_sink), 64u);
  EXPECT_EQ(offsetof(kup_exec_request, stderr_sink), 72u);
  EXPECT_EQ(sizeof(kup_exec_result), 20u);
  EXPECT_EQ(offsetof(kup_exec_result, exit_code), 4u);
  EXPECT_EQ(offsetof(kup_exec_result, term_signal), 8u);
  EXPECT_EQ(offsetof(kup_exec_result, flags), 12u);
  EXPECT_EQ(offsetof(kup_exec_result, duration_ms), 16u);
  EXPECT_EQ(sizeof(kup_exec_service), 24u);
  EXPECT_EQ(offsetof(kup_exec_service, run), 16u);
  EXPECT_EQ(sizeof(kup_config_service), 32u);
  EXPECT_EQ(offsetof(kup_config_service, get_section), 16u);
  EXPECT_EQ(offsetof(kup_config_service, get_value), 24u);
  EXPECT_EQ(sizeof(kup_facts_service), 24u);
  EXPECT_EQ(offsetof(kup_facts_service, get), 16u);
  EXPECT_EQ(sizeof(kup_state_service), 48u);
  EXPECT_EQ(offsetof(kup_state_service, set), 16u);
  EXPECT_EQ(offsetof(kup_state_service, get), 24u);
  EXPECT_EQ(offsetof(kup_state_service, set_shared), 32u);
  EXPECT_EQ(offsetof(kup_state_service, get_shared), 40u);
  EXPECT_EQ(sizeof(kup_file_info), 24u);
  EXPECT_EQ(offsetof(kup_file_info, type), 4u);
  EXPECT_EQ(offsetof(kup_file_info, mode), 8u);
  EXPECT_EQ(offsetof(kup_file_info, size), 16u);
  EXPECT_EQ(sizeof(kup_fs_service), 64u);
  EXPECT_EQ(offsetof(kup_fs_service, resolve), 16u);
  EXPECT_EQ(offsetof(kup_fs_service, stat), 24u);
  EXPECT_EQ(offsetof(kup_fs_service, read), 32u);
  EXPECT_EQ(offsetof(kup_fs_service, write), 40u);
  EXPECT_EQ(offsetof(kup_fs_service, make_dirs), 48u);
  EXPECT_EQ(offsetof(kup_fs_service, list), 56u);
  EXPECT_EQ(sizeof(kup_clock_service), 40u);
  EXPECT_EQ(offsetof(kup_clock_service, now_unix_ms), 16u);
  EXPECT_EQ(offsetof(kup_clock_service, monotonic_ms), 24u);
  EXPECT_EQ(offsetof(kup_clock_service, sleep_ms), 32u);
  EXPECT_EQ(sizeof(kup_package_pin), 32u);
  EXPECT_EQ(offsetof(kup_package_pin, version), 16u);
  EXPECT_EQ(sizeof(kup_package_manager), 96u);
  EXPECT_EQ(offsetof(kup_package_manager, plugin_ctx), 8u);
  EXPECT_EQ(offsetof(kup_package_manager, manager), 16u);
  EXPECT_EQ(offsetof(kup_package_manager, available_versions), 32u);
  EXPECT_EQ(offsetof(kup_package_manager, installed_version), 40u);
  EXPECT_EQ(offsetof(kup_package_manager, install), 48u);
  EXPECT_EQ(offsetof(kup_package_manager, hold), 56u);
  EXPECT_EQ(offsetof(kup_package_manager, unhold), 64u);
  EXPECT_EQ(offsetof(kup_package_manager, switch_repository), 72u);
  EXPECT_EQ(offsetof(kup_package_manager, preview), 80u);
  EXPECT_EQ(offsetof(kup_package_manager, available_versions_in_minor), 88u);
  EXPECT_EQ(KUP_PACKAGE_MANAGER_MIN_SIZE, 88u);
  EXPECT_EQ(sizeof(kup_backup_set), 48u);
  EXPECT_EQ(offsetof(kup_backup_set, plugin_ctx), 8u);
  EXPECT_EQ(offsetof(kup_backup_set, current), 16u);
  EXPECT_EQ(offsetof(kup_backup_set, read_file), 24u);
  EXPECT_EQ(offsetof(kup_backup_set, attach_file), 32u);
  EXPECT_EQ(offsetof(kup_backup_set, read_attached), 40u);
  EXPECT_EQ(KUP_BACKUP_SET_MIN_SIZE, 32u);
  EXPECT_EQ(KUP_PLUGIN_MIN_SIZE, 84u);
  EXPECT_EQ(KUP_PHASE_DESC_MIN_SIZE, 144u);
  EXPECT_EQ(KUP_CONFIG_KEY_MIN_SIZE, 28u);
  EXPECT_EQ(KUP_EXEC_REQUEST_MIN_SIZE, 24u);
  EXPECT_EQ(KUP_COMMAND_DESC_MIN_SIZE, 72u);
}

TEST(AbiLayout, VersionAndEntry) {
  EXPECT_EQ(KUPHOST_ABI_MAJOR, 1);
  EXPECT_EQ(KUPHOST_ABI_MINOR, 1);
  EXPECT_STREQ(KUPHOST_ENTRY_V1, "kuphost_plugin_v1");
  EXPECT_EQ(KUP_STAGE_COUNT_V1_0, 11);
  // Flags share one space between phase and command calls.
  EXPECT_EQ(KUP_CALL_DRY_RUN | KUP_CALL_RESUMED | KUP_CALL_FORCE | KUP_CALL_CONFIRMED, 0xfu);
  EXPECT_EQ(KUP_COMMAND_READ_ONLY, 0x1u);
}

TEST(AbiLayout, StatusCodesKeepTheirNumbers) {
  EXPECT_EQ(KUP_OK, 0);
  EXPECT_EQ(KUP_E_INCOMPATIBLE_ABI, 1);
  EXPECT_EQ(KUP_E_NOT_APPLICABLE, 3);
  EXPECT_EQ(KUP_E_INVALID_CONFIG, 7);
  EXPECT_EQ(KUP_E_COMMAND_FAILED, 8);
  EXPECT_EQ(KUP_E_TIMEOUT, 9);
  EXPECT_EQ(KUP_E_CANCELLED, 10);
  EXPECT_EQ(KUP_E_RETRY_LATER, 11);
  EXPECT_EQ(KUP_E_NOT_FOUND, 12);
  EXPECT_EQ(KUP_E_PREREQUISITE_MISSING, 50);
  EXPECT_EQ(KUP_E_INTERNAL, 99);
  EXPECT_EQ(KUP_E_PLUGIN_BASE, 1000);
}
