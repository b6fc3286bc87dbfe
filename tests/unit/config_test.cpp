// kuphost.yaml: host keys, plugin sections, and one-line errors that name
// the key, the file and the line.
#include <gtest/gtest.h>

#include "services/config.h"
#include "loader/plugin.h"
#include "support/failure.h"
#include "test_support.h"

namespace kuphost {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() {
    etcd_.id = "etcd-backup";
    etcd_.aliases = {"etcd"};
    etcd_.config_keys = {{"retention", KUP_CONFIG_INT, "3", ""},
                         {"archive", KUP_CONFIG_STRING, "none", ""},
                         {"endpoints", KUP_CONFIG_LIST, "", ""},
                         {"tls.ca-file", KUP_CONFIG_STRING, "", ""},
                         {"extra", KUP_CONFIG_MAP, "", ""},
                         {"max-age", KUP_CONFIG_DURATION, "", ""}};
  }
  std::string error_of(const std::string &yaml) {
    test::write_file(dir_ / "kuphost.yaml", yaml);
    try {
      validate_config(load_config(dir_ / "kuphost.yaml", true), {&etcd_});
    } catch (const Failure &e) {
      EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
      return e.what();
    }
    return "";
  }
  test::TempDir dir_;
  LoadedPlugin etcd_;
};

TEST_F(ConfigTest, AcceptsHostKeysAndDeclaredPluginKeysByIdOrAlias) {
  EXPECT_EQ(error_of("plugins: [apt, etcd]\nplugin-dirs: [/opt/p]\netcd:\n  retention: 5\n  endpoints: [a, b]\n"
                     "  tls:\n    ca-file: /x\n  extra: {anything: goes}\n  max-age: 30d\n"),
            "");
  const HostConfig c = load_config(dir_ / "kuphost.yaml", true);
  EXPECT_EQ(c.plugins, (std::vector<std::string>{"apt", "etcd"}));
  EXPECT_EQ(config_value(c.section_for(etcd_), "tls.ca-file").value(), "/x");
  EXPECT_EQ(config_value(c.section_for(etcd_), "retention").value(), "5");
  EXPECT_FALSE(config_value(c.section_for(etcd_), "archive"));
}

TEST_F(ConfigTest, UnknownTopLevelKeyNamesKeyFileAndLine) {
  const auto msg = error_of("plugins: [apt]\n\nfrobnicate: true\n");
  EXPECT_EQ(msg.rfind("unknown key 'frobnicate' in " + (dir_ / "kuphost.yaml").string() + ":3:", 0), 0u) << msg;
}

TEST_F(ConfigTest, UnknownPluginKeyListsTheKnownOnes) {
  const auto msg = error_of("etcd-backup:\n  retention: 2\n  retension: 3\n");
  EXPECT_NE(msg.find("unknown key 'etcd-backup.retension' in " + (dir_ / "kuphost.yaml").string() + ":3"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("etcd-backup knows retention, archive"), std::string::npos) << msg;
  EXPECT_NE(error_of("etcd:\n  tls:\n    key-file: /k\n").find("unknown key 'etcd.tls.key-file'"), std::string::npos);
}

TEST_F(ConfigTest, WrongTypesAreErrors) {
  EXPECT_NE(error_of("etcd:\n  retention: many\n").find("etcd.retention must be an integer"), std::string::npos);
  EXPECT_NE(error_of("etcd:\n  endpoints: one\n").find("etcd.endpoints must be a list"), std::string::npos);
  EXPECT_NE(error_of("etcd:\n  max-age: 30 days\n").find("must be a duration"), std::string::npos);
  EXPECT_NE(error_of("plugins: apt\n").find("'plugins' must be a list"), std::string::npos);
}

TEST_F(ConfigTest, MalformedYamlNamesFileLineAndColumn) {
  const auto msg = error_of("plugins: [apt\netcd:\n  retention: 3\n");
  EXPECT_EQ(msg.rfind((dir_ / "kuphost.yaml").string() + ":", 0), 0u) << msg;
  EXPECT_NE(msg.find("malformed YAML"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
}

TEST_F(ConfigTest, MissingOptionalFileGivesDefaultsButRequiredOneIsAnError) {
  EXPECT_TRUE(load_config(dir_ / "absent.yaml", false).source.empty());
  EXPECT_THROW(load_config(dir_ / "absent.yaml", true), Failure);
}

}  // namespace
}  // namespace kuphost
