// Composition from descriptor data: applicability, extensions, ordering
// hints, cycles, and refusal of an explicitly requested plugin that cannot
// apply.
#include <gtest/gtest.h>

#include "compose/composer.h"
#include "support/failure.h"

namespace kuphost {
namespace {

PhaseInfo phase(const std::string &plugin, const std::string &id, kup_stage stage) {
  PhaseInfo p;
  p.plugin = plugin;
  p.id = id;
  p.stage = stage;
  return p;
}

NodeFacts node(const std::string &family, Role role, uint32_t etcd) {
  NodeFacts f;
  f.node_name = "n1";
  f.family = family;
  f.family_mask = family_mask(family);
  f.role = role;
  f.etcd_mask = etcd;
  return f;
}

std::vector<std::string> ids(const Composition &c) {
  std::vector<std::string> out;
  for (const auto &pp : c.phases) out.push_back(pp.phase->qualified_id());
  return out;
}

TEST(Composer, MasksSelectPhasesAndExplainWhy) {
  LoadedPlugin p;
  p.id = "x";
  p.phases = {phase("x", "deb-only", KUP_STAGE_REPOSITORIES), phase("x", "cp-only", KUP_STAGE_BACKUP),
              phase("x", "stacked", KUP_STAGE_BACKUP), phase("x", "any", KUP_STAGE_VERIFY)};
  p.phases[0].distro_families = KUP_DISTRO_DEBIAN;
  p.phases[1].roles = KUP_ROLE_CONTROL_PLANE;
  p.phases[2].etcd_topologies = KUP_ETCD_STACKED;
  const auto worker = compose({&p}, node("rhel", Role::kWorker, 0), {});
  EXPECT_EQ(ids(worker), std::vector<std::string>{"x/any"});
  ASSERT_EQ(worker.left_out.size(), 3u);
  EXPECT_EQ(worker.left_out[0].why, "distro family rhel; the phase is for debian");
  EXPECT_EQ(worker.left_out[1].why, "role worker; the phase is for first-control-plane, other-control-plane");
  EXPECT_EQ(worker.left_out[2].why, "etcd none; the phase needs stacked etcd");
  const auto cp = compose({&p}, node("debian", Role::kFirstControlPlane, KUP_ETCD_STACKED), {});
  EXPECT_EQ(ids(cp), (std::vector<std::string>{"x/cp-only", "x/stacked", "x/deb-only", "x/any"}));
  EXPECT_EQ(cp.phases[0].why, "first-control-plane");
  EXPECT_EQ(cp.phases[3].why, "every node");
}

TEST(Composer, RequiredExtensionComesFromTheApplicableProvider) {
  LoadedPlugin consumer, apt, yum;
  consumer.id = "kubeadm";
  consumer.phases = {phase("kubeadm", "pkg", KUP_STAGE_KUBEADM_PACKAGE)};
  consumer.phases[0].requires_extension = "kuphost.package-manager/1";
  for (auto *pm : {&apt, &yum}) pm->extensions = {"kuphost.package-manager/1"};
  apt.id = "apt";
  apt.phases = {phase("apt", "repository", KUP_STAGE_REPOSITORIES)};
  apt.phases[0].distro_families = KUP_DISTRO_DEBIAN;
  yum.id = "yum";
  yum.phases = {phase("yum", "repository", KUP_STAGE_REPOSITORIES)};
  yum.phases[0].distro_families = KUP_DISTRO_RHEL;
  const auto rhel = compose({&consumer, &apt, &yum}, node("rhel", Role::kWorker, 0), {});
  EXPECT_EQ(rhel.extension_providers.at("kuphost.package-manager/1"), &yum);
  EXPECT_EQ(ids(rhel), (std::vector<std::string>{"yum/repository", "kubeadm/pkg"}));
  EXPECT_EQ(rhel.phases[1].why, "every node; kuphost.package-manager/1 from yum");
  const auto none = compose({&consumer, &apt}, node("rhel", Role::kWorker, 0), {});
  ASSERT_EQ(none.left_out.size(), 2u);
  EXPECT_EQ(none.left_out[0].phase->qualified_id(), "kubeadm/pkg");
  EXPECT_EQ(none.left_out[0].why,
            "needs kuphost.package-manager/1, which no selected plugin serves on this node (apt do not apply here)");
}

TEST(Composer, ExplicitlyRequestedPluginForAnotherDistroIsRefusedButRoleMismatchIsNot) {
  LoadedPlugin apt, etcd;
  apt.id = "apt";
  apt.phases = {phase("apt", "repository", KUP_STAGE_REPOSITORIES)};
  apt.phases[0].distro_families = KUP_DISTRO_DEBIAN;
  etcd.id = "etcd-backup";
  etcd.phases = {phase("etcd-backup", "backup", KUP_STAGE_BACKUP)};
  etcd.phases[0].roles = KUP_ROLE_CONTROL_PLANE;
  EXPECT_NO_THROW(compose({&apt}, node("rhel", Role::kWorker, 0), {}));
  try {
    compose({&apt}, node("rhel", Role::kWorker, 0), {"apt"});
    FAIL();
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "plugin apt does not apply to this node: it is for debian nodes and this node's distro family is "
              "rhel; remove it from --plugins");
  }
  // The same list on a worker: etcd-backup's phase is simply left out.
  const auto worker = compose({&apt, &etcd}, node("debian", Role::kWorker, 0), {"apt", "etcd-backup"});
  EXPECT_EQ(ids(worker), std::vector<std::string>{"apt/repository"});
  ASSERT_EQ(worker.left_out.size(), 1u);
  EXPECT_EQ(worker.left_out[0].why, "role worker; the phase is for first-control-plane, other-control-plane");
}

TEST(Composer, HintsOrderPhasesInsideAStageThenOrderThenSelection) {
  LoadedPlugin a, b;
  a.id = "a";
  b.id = "b";
  a.phases = {phase("a", "one", KUP_STAGE_CONTROL_PLANE), phase("a", "two", KUP_STAGE_CONTROL_PLANE)};
  b.phases = {phase("b", "first", KUP_STAGE_CONTROL_PLANE), phase("b", "late", KUP_STAGE_CONTROL_PLANE)};
  b.phases[0].before = {"a/one"};
  b.phases[1].order = 10;
  a.phases[1].after = {"b"};  // after every phase of b
  const auto c = compose({&a, &b}, node("debian", Role::kWorker, 0), {});
  EXPECT_EQ(ids(c), (std::vector<std::string>{"b/first", "a/one", "b/late", "a/two"}));
}

TEST(Composer, OrderingCycleIsAPluginError) {
  LoadedPlugin a;
  a.id = "a";
  a.phases = {phase("a", "x", KUP_STAGE_DRAIN), phase("a", "y", KUP_STAGE_DRAIN)};
  a.phases[0].after = {"a/y"};
  a.phases[1].after = {"a/x"};
  try {
    compose({&a}, node("debian", Role::kWorker, 0), {});
    FAIL();
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kPluginError);
    EXPECT_NE(std::string(e.what()).find("a/x, a/y form a cycle in stage drain"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kuphost
