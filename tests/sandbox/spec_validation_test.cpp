// Bad specs are refused with one line naming the problem, and nothing is
// written.
#include <functional>

#include <gtest/gtest.h>

#include "sandbox_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

struct BadSpec {
  const char *name;
  std::function<void(Spec &, const fs::path &tmp)> breakage;
  const char *expected;  // a fragment of the one-line error
};

class BadSpecTest : public ::testing::TestWithParam<BadSpec> {};

TEST_P(BadSpecTest, IsRefusedWithOneLineAndLeavesNothingBehind) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb");
  GetParam().breakage(spec, tmp.path());
  const bool dir_existed = fs::exists(spec.dir);
  std::string error;
  EXPECT_FALSE(create(spec, &error));
  EXPECT_NE(error.find(GetParam().expected), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  std::string validate_error;
  EXPECT_FALSE(validate(spec, &validate_error));
  EXPECT_EQ(validate_error, error);
  if (!dir_existed) {
    EXPECT_FALSE(fs::exists(spec.dir));
  }
  // Nothing new next to it either (no staging directory).
  size_t entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, dir_existed ? 1u : 0u);
}

const BadSpec kBadSpecs[] = {
    {"UnknownDistro", [](Spec &s, auto &) { s.distro = "ubuntu-22"; },
     "unknown distro 'ubuntu-22'; use one of ubuntu-24.04, debian-12, rhel-9, windows-2022"},
    {"VersionWithoutV", [](Spec &s, auto &) { s.kubernetes_version = "1.30.5"; }, "invalid kubernetes version '1.30.5'"},
    {"VersionTwoParts", [](Spec &s, auto &) { s.kubernetes_version = "v1.30"; }, "use vMAJOR.MINOR.PATCH"},
    {"PreReleaseVersion", [](Spec &s, auto &) { s.kubernetes_version = "v1.31.0-rc.1"; }, "invalid kubernetes version"},
    {"TooOldVersion", [](Spec &s, auto &) { s.kubernetes_version = "v1.20.0"; }, "v1.24.0 or newer"},
    {"UnknownRole", [](Spec &s, auto &) { s.nodes[1].role = "master"; }, "unknown role 'master' for node 'w1'"},
    {"NoFirstControlPlane", [](Spec &s, auto &) { s.nodes[0].role = "other-control-plane"; },
     "no first-control-plane node"},
    {"TwoFirstControlPlanes", [](Spec &s, auto &) { s.nodes[1].role = "first-control-plane"; },
     "2 first-control-plane nodes (cp1, w1)"},
    {"DuplicateName", [](Spec &s, auto &) { s.nodes[1].name = "cp1"; }, "duplicate node name 'cp1'"},
    {"BadNodeName", [](Spec &s, auto &) { s.nodes[1].name = "Worker_1"; }, "invalid node name 'Worker_1'"},
    {"NoNodes", [](Spec &s, auto &) { s.nodes.clear(); }, "no nodes given"},
    {"UnknownEtcd", [](Spec &s, auto &) { s.etcd = "local"; }, "unknown etcd topology 'local'; use one of stacked, external"},
    {"UnknownKeyType", [](Spec &s, auto &) { s.key_type = "rsa-4096"; }, "unknown key type 'rsa-4096'"},
    {"UnknownPackageSource", [](Spec &s, auto &) { s.packages = "apt"; },
     "unknown package source 'apt'; use one of simulated, real"},
    {"ZeroValidity", [](Spec &s, auto &) { s.cert_validity_days = 0; }, "certificate validity of 0 days"},
    {"MissingNodeSim", [](Spec &s, const fs::path &tmp) { s.node_sim = tmp / "no-such-sim"; },
     "node simulator"},
    {"EmptyNodeSim", [](Spec &s, auto &) { s.node_sim.clear(); }, "node_sim is not set"},
    {"NonEmptyDir", [](Spec &s, auto &) {
       fs::create_directory(s.dir);
       write_text(s.dir / "keep", "x");
     },
     "exists and is not empty"},
    {"DirIsAFile", [](Spec &s, auto &) { write_text(s.dir, "x"); }, "exists and is not a directory"},
    {"MissingParent", [](Spec &s, const fs::path &tmp) { s.dir = tmp / "a/b/sb"; }, "does not exist; create it first"},
};

INSTANTIATE_TEST_SUITE_P(Specs, BadSpecTest, ::testing::ValuesIn(kBadSpecs),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(BadSpecTest, NonEmptyDirectoryKeepsItsContent) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb");
  fs::create_directory(spec.dir);
  write_text(spec.dir / "keep", "precious");
  std::string error;
  EXPECT_FALSE(create(spec, &error));
  EXPECT_EQ(read_text(spec.dir / "keep"), "precious");
}

TEST(ParseNodeListTest, ParsesNamesAndRolesInOrder) {
  std::string error;
  const auto nodes = parse_node_list("cp1:first-control-plane,cp2:other-control-plane,w1:worker", &error);
  ASSERT_TRUE(nodes) << error;
  ASSERT_EQ(nodes->size(), 3u);
  EXPECT_EQ((*nodes)[0].name, "cp1");
  EXPECT_EQ((*nodes)[0].role, "first-control-plane");
  EXPECT_EQ((*nodes)[2].name, "w1");
  EXPECT_EQ((*nodes)[2].role, "worker");
}

TEST(ParseNodeListTest, ExplainsEachMistake) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"cp1", "node 'cp1' has no role; write NAME:ROLE"},
      {"cp1:first-control-plane,,w1:worker", "empty entry in node list"},
      {"", "empty entry in node list"},
      {"cp1:boss", "unknown role 'boss' for node 'cp1'"},
      {"CP1:first-control-plane", "invalid node name 'CP1'"},
      {"w1:worker", "no first-control-plane node"},
      {"cp1:first-control-plane,cp1:worker", "duplicate node name 'cp1'"},
  };
  for (const auto &[text, fragment] : cases) {
    std::string error;
    EXPECT_FALSE(parse_node_list(text, &error)) << text;
    EXPECT_NE(error.find(fragment), std::string::npos) << text << " -> " << error;
  }
}

TEST(ParseNodeTest, SplitsOneEntry) {
  std::string error;
  const auto node = parse_node("w-2:worker", &error);
  ASSERT_TRUE(node) << error;
  EXPECT_EQ(node->name, "w-2");
  EXPECT_EQ(node->role, "worker");
  EXPECT_FALSE(parse_node("-w:worker", &error));
}

}  // namespace
}  // namespace kuphost::sandbox::testing
