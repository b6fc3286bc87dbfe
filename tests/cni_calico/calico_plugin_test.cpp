// The real cni-calico.so, loaded by the host's catalog on a first control
// plane: its preflight refuses an untested pair in plan and in apply before
// any phase changes the cluster; bad config is refused at init in one line.
#include <gtest/gtest.h>

#include "harness.h"
#include "services/logging.h"
#include "support/failure.h"

namespace kuphost_plugins::cni_calico {
namespace {

using kuphost::RunMode;

const char *kDetectOperator =
    "kubectl --kubeconfig /etc/kubernetes/admin.conf get installations.operator.tigera.io default";
const char *kRefusal =
    "Calico v3.31.0 is tested with Kubernetes v1.32 to v1.35, not the target v1.31; Calico releases tested with "
    "v1.31: v3.29 (v1.29-v1.32), v3.30 (v1.31-v1.35); set cni-calico.version to one of them";

class CalicoPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kuphost::logging::init(0, {});
    h_.runner.reply(kDetectOperator, 0, "v3.29.1");
  }
  void load(const std::string &config, RunMode mode) {
    h_.set_config(config);
    h_.plugins.push_back(&h_.catalog.load_file(kuphost::test::plugin_dir() / "cni-calico.so"));
    h_.compose(mode, "v1.31.2");
  }
  kuphost::PhaseCallResult plan(const std::string &phase) {
    for (const auto &pp : h_.composition.phases)
      if (pp.phase->qualified_id() == phase) return h_.runtime->call(pp, pp.phase->plan, 0, false);
    ADD_FAILURE() << "no phase " << phase;
    return {};
  }
  bool ran(const std::string &word) const {
    for (const auto &argv : h_.runner.calls)
      for (const auto &arg : argv)
        if (arg == word) return true;
    return false;
  }
  kuphost::test::Harness h_;
};

TEST_F(CalicoPluginTest, PreflightRefusesAnUntestedPairInPlan) {
  load("cni-calico:\n  version: v3.31.0\n", RunMode::kPlan);
  const auto r = plan("cni-calico/preflight");
  EXPECT_EQ(r.status, KUP_E_INVALID_CONFIG);
  EXPECT_EQ(r.message, kRefusal);
}

TEST_F(CalicoPluginTest, ApplyStopsAtThePreflightBeforeAnyChange) {
  load("cni-calico:\n  version: v3.31.0\n", RunMode::kApply);
  const kuphost::ApplyResult result = h_.apply();
  EXPECT_NE(result.exit, kuphost::ExitCode::kOk);
  EXPECT_NE(result.message.find(kRefusal), std::string::npos) << result.message;
  EXPECT_FALSE(ran("apply"));
  EXPECT_FALSE(ran("curl"));
  EXPECT_FALSE(std::filesystem::exists(h_.root / "etc/kubernetes/tmp"));
}

TEST_F(CalicoPluginTest, ATestedPairPassesAndThePlanShowsCrdsFirst) {
  load("cni-calico:\n  version: v3.30.3\n", RunMode::kPlan);
  EXPECT_TRUE(plan("cni-calico/preflight").ok());
  const auto r = plan("cni-calico/upgrade");
  ASSERT_TRUE(r.ok()) << r.message;
  std::string steps;
  for (const auto &l : r.lines) steps += l + "\n";
  const auto crds = steps.find("operator-crds.yaml\n"), op = steps.find("tigera-operator.yaml\n");
  EXPECT_NE(crds, std::string::npos) << steps;
  EXPECT_LT(crds, op) << steps;
  EXPECT_NE(steps.find("found Calico v3.29.1 managed by the Tigera operator"), std::string::npos) << steps;
}

TEST_F(CalicoPluginTest, NoCalicoLeavesThePhasesOutWithTheReason) {
  kuphost::test::Harness fresh;  // without the operator reply
  fresh.runner.reply("kubectl", 1, "", "Error from server (NotFound): not found");
  fresh.set_config("cni-calico: {}\n");
  fresh.plugins.push_back(&fresh.catalog.load_file(kuphost::test::plugin_dir() / "cni-calico.so"));
  fresh.compose(RunMode::kPlan, "v1.31.2");
  const kuphost::PlanResult plan = fresh.executor->plan();
  ASSERT_EQ(plan.left_out.size(), 2u);
  for (const auto &out : plan.left_out) EXPECT_EQ(out.why.rfind("no Calico found: ", 0), 0u) << out.why;
  EXPECT_TRUE(plan.phases.empty());
}

TEST_F(CalicoPluginTest, BadConfigIsRefusedAtInitInOneLine) {
  for (const auto &[config, expected] : std::vector<std::pair<std::string, std::string>>{
           {"cni-calico:\n  tested-kubernetes: \"3.33=1.35\"\n",
            "plugin cni-calico: cni-calico.tested-kubernetes is '3.33=1.35': '3.33=1.35' is not CALICO=LOWEST-HIGHEST"},
           {"cni-calico:\n  version: v3.30\n", "plugin cni-calico: cni-calico.version is 'v3.30'"},
           {"cni-calico:\n  bundle: /root/b.tgz\n", "plugin cni-calico: cni-calico.bundle is set without"}}) {
    kuphost::test::Harness h;
    h.set_config(config);
    h.plugins.push_back(&h.catalog.load_file(kuphost::test::plugin_dir() / "cni-calico.so"));
    try {
      h.compose(RunMode::kPlan, "v1.31.2");
      ADD_FAILURE() << config << " was accepted";
    } catch (const kuphost::Failure &f) {
      EXPECT_EQ(f.code(), kuphost::ExitCode::kInvalidInput);
      EXPECT_EQ(std::string(f.what()).rfind(expected, 0), 0u) << f.what();
      EXPECT_EQ(std::string(f.what()).find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace kuphost_plugins::cni_calico
