// The version-skew rules of kubeadm/preflight (skew_policy.h), one behaviour
// per test, and the check-name list the host validates
// --ignore-preflight-errors against.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "facts/preflight_names.h"
#include "preflight_checks.h"
#include "skew_policy.h"

namespace kuphost_plugins::kubeadm {
namespace {

KubeVersion v(const char *text) { return *KubeVersion::parse(text); }

// A healthy two-node cluster at v1.30.5, seen from its first control plane.
SkewInput first_control_plane(const char *target) {
  SkewInput in;
  in.target = v(target);
  in.role = NodeRole::kFirstControlPlane;
  in.node = "cp1";
  in.api_server = v("v1.30.5");
  in.this_control_plane = v("v1.30.5");
  in.this_kubelet = v("v1.30.5");
  in.kubeadm = v("v1.30.5");
  in.nodes = std::vector<NodeKubelet>{{"cp1", v("v1.30.5")}, {"w1", v("v1.30.5")}};
  return in;
}

SkewInput worker(const char *target, const char *api_server) {
  SkewInput in = first_control_plane(target);
  in.role = NodeRole::kWorker;
  in.node = "w1";
  in.api_server = v(api_server);
  in.this_control_plane.reset();
  return in;
}

std::vector<std::string> rules(const std::vector<SkewFinding> &findings) {
  std::vector<std::string> out;
  for (const auto &f : findings) out.push_back(f.rule);
  return out;
}

// A copy: callers pass check_skew()'s temporary result.
std::optional<SkewFinding> find(const std::vector<SkewFinding> &findings, std::string_view rule) {
  for (const auto &f : findings)
    if (f.rule == rule) return f;
  return std::nullopt;
}

TEST(SkewPolicy, TheNextMinorIsAllowed) {
  EXPECT_TRUE(check_skew(first_control_plane("v1.31.2")).empty());
}

TEST(SkewPolicy, APatchUpgradeInTheSameMinorIsAllowed) {
  EXPECT_TRUE(check_skew(first_control_plane("v1.30.9")).empty());
}

TEST(SkewPolicy, ATwoMinorJumpIsRefusedWithTheChainAndForceCannotOverrideIt) {
  auto in = first_control_plane("v1.32.0");
  in.kubeadm = v("v1.31.0");  // keep KubeadmVersion out of the way
  const auto findings = check_skew(in);
  const auto f = find(findings, kRuleSkippedMinor);
  ASSERT_TRUE(f.has_value()) << ::testing::PrintToString(rules(findings));
  EXPECT_NE(f->message.find("upgrade to v1.31.x first"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("v1.31.x, then v1.32.0"), std::string::npos) << f->message;
  EXPECT_EQ(f->override_by, Override::kNever);
}

TEST(SkewPolicy, APreReleaseTargetMakesTheMinorSkipForceable) {
  auto in = first_control_plane("v1.32.0-rc.1");
  in.allow_release_candidate = true;
  in.kubeadm = v("v1.31.0");
  const auto f = find(check_skew(in), kRuleSkippedMinor);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kForce);
}

TEST(SkewPolicy, ThePathNamesEveryMinorBetween) {
  EXPECT_EQ(upgrade_chain(v("v1.29.3"), v("v1.32.0")), "v1.30.x, then v1.31.x, then v1.32.0");
  EXPECT_EQ(upgrade_chain(v("v1.30.5"), v("v1.31.2")), "v1.31.2");
}

TEST(SkewPolicy, APatchDowngradeWithinTheMinorIsAllowed) {
  EXPECT_TRUE(check_skew(first_control_plane("v1.30.1")).empty());
}

TEST(SkewPolicy, AOneMinorDowngradeNeedsForce) {
  auto in = first_control_plane("v1.29.9");
  in.nodes = std::vector<NodeKubelet>{{"cp1", v("v1.29.9")}};
  const auto findings = check_skew(in);
  const auto f = find(findings, kRuleMinorDowngrade);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kForce);
  EXPECT_NE(f->message.find("--force"), std::string::npos);
}

TEST(SkewPolicy, ATwoMinorDowngradeIsRefusedEvenWithForce) {
  auto in = first_control_plane("v1.28.9");
  in.nodes.reset();
  const auto f = find(check_skew(in), kRuleMinorDowngrade);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kNever);
  EXPECT_NE(f->message.find("no older than v1.29.x"), std::string::npos) << f->message;
}

TEST(SkewPolicy, AnotherMajorIsRefusedAlone) {
  const auto findings = check_skew(first_control_plane("v2.0.0"));
  ASSERT_EQ(rules(findings), std::vector<std::string>{"MajorVersion"});
  EXPECT_EQ(findings[0].override_by, Override::kNever);
}

TEST(SkewPolicy, PreReleasesNeedTheirFlag) {
  auto beta = first_control_plane("v1.31.0-beta.1");
  const auto f = find(check_skew(beta), kRulePreRelease);
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->message.find("--allow-experimental-upgrades"), std::string::npos);
  EXPECT_EQ(f->override_by, Override::kForce);
  beta.allow_release_candidate = true;  // admits rc only
  EXPECT_TRUE(find(check_skew(beta), kRulePreRelease).has_value());
  beta.allow_experimental = true;
  EXPECT_FALSE(find(check_skew(beta), kRulePreRelease).has_value());

  auto rc = first_control_plane("v1.31.0-rc.2");
  EXPECT_NE(find(check_skew(rc), kRulePreRelease)->message.find("--allow-release-candidate-upgrades"),
            std::string::npos);
  rc.allow_release_candidate = true;
  EXPECT_TRUE(check_skew(rc).empty());
}

TEST(SkewPolicy, KubeadmMovesOneMinorPerUpgrade) {
  auto in = first_control_plane("v1.31.2");
  in.kubeadm = v("v1.29.0");
  const auto f = find(check_skew(in), kRuleKubeadmVersion);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kNever);
  EXPECT_NE(f->message.find("upgrade to v1.30.x first"), std::string::npos) << f->message;
}

TEST(SkewPolicy, AKubeadmNewerThanTheTargetNeedsForce) {
  auto in = first_control_plane("v1.30.9");
  in.kubeadm = v("v1.31.0");
  const auto f = find(check_skew(in), kRuleKubeadmVersion);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kForce);
}

TEST(SkewPolicy, KubeadmUpgradeApplyRefusesKubeletsTwoMinorsBehindTheTarget) {
  auto in = first_control_plane("v1.31.2");
  in.api_server = v("v1.30.5");
  in.nodes = std::vector<NodeKubelet>{{"cp1", v("v1.30.5")}, {"w1", v("v1.29.4")}, {"w2", v("v1.29.4")}};
  const auto f = find(check_skew(in), kRuleKubeletSkew);
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->message.find("v1.29.4 on w1, w2"), std::string::npos) << f->message;
  EXPECT_EQ(f->override_by, Override::kForce);
}

TEST(SkewPolicy, OtherControlPlanesAllowThePolicysThreeMinorsOfKubeletSkew) {
  auto in = first_control_plane("v1.31.2");
  in.role = NodeRole::kOtherControlPlane;
  in.api_server = v("v1.31.2");
  in.this_control_plane = v("v1.30.5");
  in.nodes = std::vector<NodeKubelet>{{"w1", v("v1.28.0")}};
  EXPECT_FALSE(find(check_skew(in), kRuleKubeletSkew).has_value());
  in.nodes = std::vector<NodeKubelet>{{"w1", v("v1.27.0")}};
  EXPECT_TRUE(find(check_skew(in), kRuleKubeletSkew).has_value());
}

TEST(SkewPolicy, KubeletsBelow125AllowOnlyTwoMinors) {
  auto in = first_control_plane("v1.26.0");
  in.role = NodeRole::kOtherControlPlane;
  in.api_server = v("v1.26.0");
  in.this_control_plane = v("v1.25.0");
  in.kubeadm = v("v1.25.0");
  in.nodes = std::vector<NodeKubelet>{{"w1", v("v1.23.0")}};
  EXPECT_TRUE(find(check_skew(in), kRuleKubeletSkew).has_value());
}

TEST(SkewPolicy, AKubeletNewerThanTheTargetIsRefused) {
  auto in = first_control_plane("v1.30.9");
  in.nodes = std::vector<NodeKubelet>{{"w1", v("v1.31.0")}};
  const auto f = find(check_skew(in), kRuleKubeletSkew);
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->message.find("newer"), std::string::npos);
}

TEST(SkewPolicy, UnknownNodesLeaveKubeletSkewUnchecked) {
  auto in = first_control_plane("v1.31.2");
  in.nodes.reset();
  EXPECT_TRUE(check_skew(in).empty());
}

TEST(SkewPolicy, AWorkerMayNotPassTheApiServer) {
  const auto findings = check_skew(worker("v1.31.2", "v1.30.5"));
  const auto f = find(findings, kRuleControlPlaneFirst);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->override_by, Override::kIgnoreByNameOnly);
  EXPECT_NE(f->message.find("first control-plane node"), std::string::npos) << f->message;
  EXPECT_TRUE(check_skew(worker("v1.31.2", "v1.31.2")).empty());
}

TEST(SkewPolicy, AnOtherControlPlaneWaitsForTheFirst) {
  auto in = first_control_plane("v1.31.2");
  in.role = NodeRole::kOtherControlPlane;
  EXPECT_TRUE(find(check_skew(in), kRuleControlPlaneFirst).has_value());
  in.api_server = v("v1.31.2");
  EXPECT_FALSE(find(check_skew(in), kRuleControlPlaneFirst).has_value());
}

TEST(SkewPolicy, TheFirstControlPlaneMeasuresFromTheApiServerElseItsManifest) {
  auto in = first_control_plane("v1.31.2");
  EXPECT_EQ(current_version(in)->str(), "v1.30.5");
  in.api_server.reset();
  in.this_control_plane = v("v1.29.1");
  EXPECT_EQ(current_version(in)->str(), "v1.29.1");
  in.role = NodeRole::kWorker;
  EXPECT_EQ(current_version(in)->str(), "v1.30.5");  // the kubelet
}

TEST(SkewPolicy, AWorkerSkippingAMinorOfItsKubeletIsRefused) {
  auto in = worker("v1.31.2", "v1.31.2");
  in.this_kubelet = v("v1.29.0");
  EXPECT_TRUE(find(check_skew(in), kRuleSkippedMinor).has_value());
}

TEST(SkewPolicy, VersionsOrderPreReleasesBeforeTheirRelease) {
  EXPECT_LT(compare(v("v1.31.0-alpha.1"), v("v1.31.0-beta.0")), 0);
  EXPECT_LT(compare(v("v1.31.0-rc.1"), v("v1.31.0")), 0);
  EXPECT_LT(compare(v("v1.30.9"), v("v1.31.0-alpha.1")), 0);
  EXPECT_EQ(compare(v("1.31.2"), v("v1.31.2")), 0);
  EXPECT_LT(compare(v("v1.31.0-rc.2"), v("v1.31.0-rc.10")), 0);
}

TEST(PreflightCheckNames, TheHostValidatesAgainstThePluginsList) {
  std::vector<std::string> plugin(preflight_check_names().begin(), preflight_check_names().end());
  std::vector<std::string> host(kuphost::kKubeadmPreflightCheckNames.begin(),
                                kuphost::kKubeadmPreflightCheckNames.end());
  EXPECT_EQ(plugin, host);
}

}  // namespace
}  // namespace kuphost_plugins::kubeadm
