// Loading plugins across ABI variations, and the precise refusals.
#include <sys/stat.h>

#include <sstream>

#include <gtest/gtest.h>

#include "harness.h"
#include "loader/elf_exports.h"
#include "loader/plugin_loader.h"
#include "support/strings.h"
#include "support/failure.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;
using test::fixture_dir;
using test::Harness;

// The message of the Failure that loading `file` throws.
std::string refusal(const fs::path &file, bool allow_insecure = false) {
  try {
    load_plugin(file, allow_insecure);
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kPluginError);
    return e.what();
  }
  ADD_FAILURE() << file << " loaded but should have been refused";
  return {};
}

// Runs the one phase of plugin `id` in apply mode; returns its out lines.
PhaseCallResult run_phase(Harness &h, const std::string &qualified) {
  h.compose(RunMode::kDryRun);
  for (const auto &pp : h.composition.phases)
    if (pp.phase->qualified_id() == qualified) return h.runtime->call(pp, pp.phase->apply, 0, false);
  ADD_FAILURE() << "no phase " << qualified;
  return {};
}

TEST(Loader, PluginWrittenInCLoadsAndRuns) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("c_plugin.so");
  EXPECT_EQ(p.id, "c-plugin");
  EXPECT_EQ(p.version, "1.0.0");
  EXPECT_EQ(p.descriptor_size, sizeof(kup_plugin));
  ASSERT_EQ(p.phases.size(), 1u);
  EXPECT_EQ(p.phases[0].stage, KUP_STAGE_PREFLIGHT);
  const auto r = run_phase(h, "c-plugin/hello");
  EXPECT_EQ(r.status, KUP_OK);
  EXPECT_EQ(r.lines, std::vector<std::string>{"said hello in C"});
}

TEST(Loader, PluginWithOlderSmallerStructsLoadsZeroFilled) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("old_abi.so");
  EXPECT_EQ(p.descriptor_size, KUP_PLUGIN_MIN_SIZE);
  EXPECT_LT(p.descriptor_size, sizeof(kup_plugin));
  EXPECT_EQ(p.descriptor.init, nullptr);
  EXPECT_EQ(p.descriptor.get_extension, nullptr);
  EXPECT_TRUE(p.config_keys.empty());
  ASSERT_EQ(p.phases.size(), 1u);
  EXPECT_EQ(p.phases[0].verify, nullptr);
  EXPECT_EQ(p.phases[0].rollback, nullptr);
  const auto r = run_phase(h, "old-abi/work");
  EXPECT_EQ(r.status, KUP_OK);
  EXPECT_EQ(r.lines, std::vector<std::string>{"old plugin applied"});
}

TEST(Loader, PluginSizedForAbi10LoadsWithoutCommands) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("abi_1_0_size.so");
  EXPECT_EQ(p.descriptor_size, offsetof(kup_plugin, commands));
  EXPECT_EQ(p.descriptor.commands, nullptr) << "read past the plugin's struct_size";
  EXPECT_EQ(p.descriptor.command_count, 0u);
  EXPECT_TRUE(p.commands.empty());
  EXPECT_EQ(run_phase(h, "abi-1-0-size/work").lines, std::vector<std::string>{"1.0 plugin applied"});
}

TEST(Loader, CommandsAreCopiedFromTheDescriptor) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("cmd_a.so");
  EXPECT_EQ(p.abi_minor, KUPHOST_ABI_MINOR);
  ASSERT_EQ(p.commands.size(), 2u);
  EXPECT_EQ(p.commands[0].plugin, "cmd-a");
  EXPECT_EQ(p.commands[0].name, "peek");
  EXPECT_EQ(p.commands[0].usage, "peek [WORD...]");
  EXPECT_EQ(p.commands[0].summary, "Prints what the command call carried.");
  EXPECT_TRUE(p.commands[0].read_only());
  EXPECT_EQ(p.commands[1].name, "stamp");
  EXPECT_FALSE(p.commands[1].read_only());
  EXPECT_NE(p.commands[1].run, nullptr);
  EXPECT_EQ(p.command("stamp"), &p.commands[1]);
  EXPECT_EQ(p.command("nope"), nullptr);
}

// call_command hands the words, flags and -o to the plugin and its report
// to the stream, untouched; errors come back as for phases.
TEST(Runtime, CommandCallCarriesWordsFlagsAndOutputFormat) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("cmd_a.so");
  h.compose(RunMode::kPlan);
  h.env->command = "peek";
  std::ostringstream out;
  const auto r = h.runtime->call_command(p.commands[0], {"b", "a b", "c"}, KUP_CALL_FORCE | KUP_CALL_CONFIRMED, 2, out);
  EXPECT_EQ(r.status, KUP_OK) << r.message;
  EXPECT_EQ(out.str(),
            "hello from cmd-a\ncommand: peek\narg: b\narg: a b\narg: c\noutput: 2\nflags: force confirmed\nnode: cp1\n");
  std::ostringstream ignored;
  const auto failed = h.runtime->call_command(p.commands[0], {"fail"}, 0, 0, ignored);
  EXPECT_EQ(failed.status, KUP_E_IO);
  EXPECT_EQ(failed.message, "peek failed as asked");
  EXPECT_EQ(failed.details, "some details");
  const auto refused = h.runtime->call_command(p.commands[0], {"write", "/etc/x"}, 0, 0, ignored);
  EXPECT_EQ(refused.status, KUP_E_INVALID_ARGUMENT);
  EXPECT_NE(refused.message.find("during read-only command 'peek'"), std::string::npos) << refused.message;
  EXPECT_FALSE(fs::exists(h.root / "etc/x"));
}

TEST(Loader, PluginFromAFutureMinorWithLargerStructsLoads) {
  Harness h;
  const LoadedPlugin &p = h.load_fixture("future_abi.so");
  EXPECT_EQ(p.abi_minor, 99);
  EXPECT_GT(p.descriptor_size, sizeof(kup_plugin));
  ASSERT_EQ(p.phases.size(), 1u);
  EXPECT_EQ(p.phases[0].stage, KUP_STAGE_VERIFY);
  const auto r = run_phase(h, "future-abi/work");
  EXPECT_EQ(r.status, KUP_OK);
  EXPECT_EQ(r.lines, std::vector<std::string>{"future plugin applied"});
}

TEST(Loader, ThrowingPluginYieldsStatusWithMessageAndHostKeepsRunning) {
  Harness h;
  h.load_fixture("throwing.so");
  h.compose(RunMode::kDryRun);
  ASSERT_EQ(h.composition.phases.size(), 3u);
  const auto std_error = h.runtime->call(h.composition.phases[0], h.composition.phases[0].phase->apply, 0, false);
  EXPECT_EQ(std_error.status, KUP_E_INTERNAL);
  EXPECT_EQ(std_error.message, "disk on fire");
  const auto kup_error = h.runtime->call(h.composition.phases[1], h.composition.phases[1].phase->apply, 0, false);
  EXPECT_EQ(kup_error.status, 1234);
  EXPECT_EQ(kup_error.message, "custom failure");
  EXPECT_EQ(kup_error.details, "line one\nline two");
  const auto fine = h.runtime->call(h.composition.phases[2], h.composition.phases[2].phase->apply, 0, false);
  EXPECT_EQ(fine.status, KUP_OK);
  EXPECT_EQ(fine.lines, std::vector<std::string>{"still fine"});
}

TEST(Loader, TwoPluginsWithTheSameSymbolsEachResolveTheirOwn) {
  Harness h;
  const LoadedPlugin &a = h.load_fixture("dup_a.so");
  const LoadedPlugin &b = h.load_fixture("dup_b.so");
  EXPECT_EQ(a.id, "dup-a");
  EXPECT_EQ(b.id, "dup-b");
  EXPECT_NE(a.descriptor.init, b.descriptor.init);
  EXPECT_EQ(run_phase(h, "dup-a/which").lines, std::vector<std::string>{"dup-a"});
  EXPECT_EQ(run_phase(h, "dup-b/which").lines, std::vector<std::string>{"dup-b"});
}

TEST(Loader, RefusesMissingEntry) {
  const auto msg = refusal(fixture_dir() / "missing_entry.so");
  EXPECT_NE(msg.find("missing_entry.so"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no entry symbol kuphost_plugin_v1"), std::string::npos) << msg;
}

TEST(Loader, RefusesNullEntryResult) {
  const auto msg = refusal(fixture_dir() / "returns_null.so");
  EXPECT_NE(msg.find("kuphost_plugin_v1() returned NULL"), std::string::npos) << msg;
}

TEST(Loader, RefusesAbiMajor2) {
  EXPECT_NE(refusal(fixture_dir() / "abi_major2.so").find("ABI major 2, this kuphost speaks ABI 1"),
            std::string::npos);
  const auto msg = refusal(fixture_dir() / "only_v2.so");
  EXPECT_NE(msg.find("exports kuphost_plugin_v2 only: built for kuphost plugin ABI 2"), std::string::npos) << msg;
}

TEST(Loader, RefusesTooSmallStructSize) {
  const auto msg = refusal(fixture_dir() / "bad_size.so");
  EXPECT_NE(msg.find("plugin descriptor struct_size 8 is smaller than ABI 1.0's " +
                     std::to_string(KUP_PLUGIN_MIN_SIZE) + " bytes"),
            std::string::npos)
      << msg;
}

TEST(Loader, RefusesFilesThatAreNotSharedObjects) {
  test::TempDir dir;
  test::write_file(dir / "text.so", "#!/bin/sh\necho not a plugin\n");
  EXPECT_NE(refusal(dir / "text.so").find("not a shared object"), std::string::npos);
  EXPECT_NE(refusal(dir / "absent.so").find("no such file"), std::string::npos);
}

TEST(Loader, RefusesInsecureDirectoryUnlessAllowed) {
  test::TempDir dir;
  const fs::path plugins = dir / "plugins";
  fs::create_directories(plugins);
  fs::copy_file(fixture_dir() / "c_plugin.so", plugins / "c_plugin.so");
  ::chmod(plugins.c_str(), 0777);
  const auto msg = refusal(plugins / "c_plugin.so");
  EXPECT_NE(msg.find("is writable by everyone (mode 0777)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--allow-insecure-plugin-dir"), std::string::npos) << msg;
  EXPECT_EQ(load_plugin(plugins / "c_plugin.so", /*allow_insecure=*/true).id, "c-plugin");

  ::chmod(plugins.c_str(), 0755);
  ::chmod((plugins / "c_plugin.so").c_str(), 0664);
  EXPECT_NE(refusal(plugins / "c_plugin.so").find("is writable by its group"), std::string::npos);
}

TEST(Loader, StrippedPluginLoadsBecauseExportsComeFromDynsym) {
  // Distributions strip what they ship; .symtab is gone, .dynsym stays.
  test::TempDir dir;
  const auto stripped = dir / "c_plugin.so";
  const auto r = test::run_process({"strip", "-o", stripped.string(), (fixture_dir() / "c_plugin.so").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::run_process({"nm", stripped.string()}).err.find("no symbols") != std::string::npos, true);
  EXPECT_EQ(load_plugin(stripped, false).id, "c-plugin");
}

TEST(ElfExports, ListTheDefinedDynamicSymbolsLikeNm) {
  std::string err;
  for (const char *f : {"c_plugin.so", "throwing.so", "missing_entry.so", "only_v2.so"}) {
    const auto e = read_elf_exports(fixture_dir() / f, &err);
    ASSERT_TRUE(e) << f << ": " << err;
    const auto nm = test::run_process({"nm", "-D", "--defined-only", (fixture_dir() / f).string()});
    std::vector<std::string> from_nm;
    for (const auto &line : split(nm.out, '\n'))
      if (line.find(" T ") != std::string::npos) from_nm.push_back(line.substr(line.rfind(' ') + 1));
    std::sort(from_nm.begin(), from_nm.end());
    EXPECT_EQ(e->functions, from_nm) << f;
  }
  test::TempDir dir;
  test::write_file(dir / "x.so", "not elf");
  EXPECT_FALSE(read_elf_exports(dir / "x.so", &err));
  EXPECT_EQ(err, "not an ELF file");
}

TEST(Catalog, RefusesTwoFilesWithTheSamePluginIdInOneDirectory) {
  test::TempDir dir;
  fs::copy_file(fixture_dir() / "c_plugin.so", dir / "c_plugin.so");
  fs::copy_file(fixture_dir() / "c_plugin.so", dir / "c_plugin_copy.so");
  PluginCatalog catalog({dir.path()}, false);
  try {
    catalog.scan();
    FAIL() << "duplicate ids accepted";
  } catch (const Failure &e) {
    EXPECT_NE(std::string(e.what()).find("duplicate plugin id 'c-plugin'"), std::string::npos) << e.what();
  }
}

TEST(Catalog, EarlierSearchDirectoryShadowsLaterOne) {
  test::TempDir first, second;
  fs::copy_file(fixture_dir() / "c_plugin.so", first / "c_plugin.so");
  fs::copy_file(fixture_dir() / "c_plugin.so", second / "c_plugin.so");
  PluginCatalog catalog({first.path(), second.path()}, false);
  catalog.scan();
  ASSERT_EQ(catalog.candidates().size(), 1u);
  EXPECT_EQ(catalog.resolve("c-plugin").path, first / "c_plugin.so");
}

TEST(Catalog, UnknownNameListsWhatIsInstalled) {
  PluginCatalog catalog({fixture_dir()}, false);
  catalog.scan();
  try {
    catalog.resolve("no-such-plugin");
    FAIL();
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("unknown plugin 'no-such-plugin'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("recorder"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace kuphost
