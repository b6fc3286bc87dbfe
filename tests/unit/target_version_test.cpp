// The VERSION forms of plan and apply (run/target_version.h): parsing,
// package-version mapping, pre-release gating, and which repository view a
// resolution asks for, against a fake package-version source.
#include "run/target_version.h"

#include <gtest/gtest.h>

#include <map>

#include "support/failure.h"

namespace kuphost {
namespace {

TEST(TargetSpecTest, AcceptsTheFiveForms) {
  std::string error;
  auto exact = parse_target_spec("v1.31.2", &error);
  ASSERT_TRUE(exact) << error;
  EXPECT_EQ(exact->kind, TargetSpec::Kind::kExact);
  EXPECT_EQ(exact->exact.str(), "v1.31.2");
  EXPECT_FALSE(exact->needs_resolution());
  EXPECT_EQ(parse_target_spec("1.31.2", &error)->exact.str(), "v1.31.2");
  EXPECT_EQ(parse_target_spec("v1.32.0-rc.1", &error)->exact.str(), "v1.32.0-rc.1");
  auto minor = parse_target_spec("1.31", &error);
  ASSERT_TRUE(minor) << error;
  EXPECT_EQ(minor->kind, TargetSpec::Kind::kMinor);
  EXPECT_EQ(minor->major, 1);
  EXPECT_EQ(minor->minor, 31);
  EXPECT_TRUE(minor->needs_resolution());
  EXPECT_EQ(parse_target_spec("latest-patch", &error)->kind, TargetSpec::Kind::kLatestPatch);
  EXPECT_EQ(parse_target_spec("next-minor", &error)->kind, TargetSpec::Kind::kNextMinor);
}

TEST(TargetSpecTest, RefusesAnythingElseWithOneLineListingTheForms) {
  for (const char *bad : {"v1.31", "1.31.", "1", "01.31", "1.31.2.3", "latest", "latest-stable", "Next-Minor", "",
                          "1.31-rc.1", "v1.31.2-gamma.1", "1.31 "}) {
    std::string error;
    EXPECT_FALSE(parse_target_spec(bad, &error)) << bad;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_NE(error.find("invalid version '" + std::string(bad) + "'"), std::string::npos) << error;
    for (const char *form : {"vMAJOR.MINOR.PATCH", "MAJOR.MINOR.PATCH", "MAJOR.MINOR", "latest-patch", "next-minor"})
      EXPECT_NE(error.find(form), std::string::npos) << form << " missing in: " << error;
  }
}

TEST(TargetVersionTest, MapsPackageVersionsToKubernetesVersions) {
  EXPECT_EQ(version_of_package("1.31.2-1.1")->str(), "v1.31.2");
  EXPECT_EQ(version_of_package("1.31.2-150500.1.1")->str(), "v1.31.2");
  EXPECT_EQ(version_of_package("1.32.0~rc.1-1.1")->str(), "v1.32.0-rc.1");
  EXPECT_EQ(version_of_package("1:1.30.5-1.1")->str(), "v1.30.5");
  EXPECT_FALSE(version_of_package("1.31-1.1"));
  EXPECT_FALSE(version_of_package("garbage"));
  EXPECT_FALSE(version_of_package(""));
}

TEST(TargetVersionTest, PreReleasesNeedTheFlags) {
  const Version release{1, 32, 0, ""}, rc{1, 32, 0, "rc.1"}, beta{1, 32, 0, "beta.2"}, alpha{1, 32, 0, "alpha.3"};
  const PreReleasePolicy none, rc_only{false, true}, experimental{true, false};
  EXPECT_TRUE(none.allows(release));
  EXPECT_FALSE(none.allows(rc));
  EXPECT_FALSE(none.allows(beta));
  EXPECT_TRUE(rc_only.allows(rc));
  EXPECT_FALSE(rc_only.allows(beta));
  EXPECT_FALSE(rc_only.allows(alpha));
  EXPECT_TRUE(experimental.allows(rc));
  EXPECT_TRUE(experimental.allows(beta));
  EXPECT_TRUE(experimental.allows(alpha));
}

TEST(TargetVersionTest, NewestInMinorSkipsOtherMinorsAndGatedPreReleases) {
  const std::vector<std::string> offered{"1.32.1~rc.0-1.1", "1.32.0-1.1", "1.32.0~rc.1-1.1", "1.31.9-1.1",
                                         "1.33.0~alpha.1-1.1", "not-a-version"};
  EXPECT_EQ(newest_in_minor(offered, 1, 32, {})->str(), "v1.32.0");
  EXPECT_EQ(newest_in_minor(offered, 1, 32, {false, true})->str(), "v1.32.1-rc.0");
  EXPECT_EQ(newest_in_minor(offered, 1, 31, {})->str(), "v1.31.9");
  EXPECT_FALSE(newest_in_minor(offered, 1, 33, {}));
  EXPECT_FALSE(newest_in_minor(offered, 1, 33, {false, true})) << "alpha needs --allow-experimental-upgrades";
  EXPECT_EQ(newest_in_minor(offered, 1, 33, {true, false})->str(), "v1.33.0-alpha.1");
  EXPECT_FALSE(newest_in_minor({}, 1, 31, {}));
}

// The node's repository points at one minor, as on pkgs.k8s.io; other
// minors are reachable only through versions_in_minor.
class FakeSource final : public PackageVersionSource {
 public:
  std::string configured_minor = "v1.30";
  std::map<std::string, std::vector<std::string>> by_minor;
  bool lists_other_minors = true;
  std::vector<std::string> asked;  // minors asked through versions_in_minor

  std::string manager() const override { return "apt"; }
  std::vector<std::string> configured_versions(const std::string &package) override {
    EXPECT_EQ(package, "kubeadm");
    return by_minor[configured_minor];
  }
  std::optional<std::vector<std::string>> versions_in_minor(const std::string &package,
                                                            const std::string &minor) override {
    EXPECT_EQ(package, "kubeadm");
    if (!lists_other_minors) return std::nullopt;
    asked.push_back(minor);
    return by_minor[minor];
  }
};

FakeSource cluster_source() {
  FakeSource s;
  s.by_minor["v1.30"] = {"1.30.7-1.1", "1.30.6-1.1", "1.30.5-1.1"};
  s.by_minor["v1.31"] = {"1.31.5~rc.0-1.1", "1.31.4-1.1", "1.31.0-1.1"};
  s.by_minor["v1.32"] = {"1.32.0~rc.2-1.1", "1.32.0~beta.0-1.1"};
  return s;
}

TargetSpec spec_of(const char *text) {
  std::string error;
  auto spec = parse_target_spec(text, &error);
  EXPECT_TRUE(spec) << error;
  return *spec;
}

std::string failure_of(const TargetSpec &spec, const std::optional<Version> &current, PackageVersionSource &source,
                       const PreReleasePolicy &policy = {}) {
  try {
    resolve_target(spec, current, source, policy);
  } catch (const Failure &f) {
    EXPECT_EQ(f.code(), ExitCode::kInvalidInput);
    EXPECT_EQ(std::string(f.what()).find('\n'), std::string::npos) << f.what();
    return f.what();
  }
  ADD_FAILURE() << "resolved";
  return "";
}

const Version kCurrent{1, 30, 5, ""};

TEST(TargetVersionTest, LatestPatchUsesTheConfiguredRepository) {
  FakeSource source = cluster_source();
  const auto target = resolve_target(spec_of("latest-patch"), kCurrent, source, {});
  EXPECT_EQ(target.version.str(), "v1.30.7");
  EXPECT_EQ(target.why, "newest patch of the current minor, v1.30, from apt");
  EXPECT_TRUE(source.asked.empty()) << "the configured repository already serves v1.30";
}

TEST(TargetVersionTest, AnotherMinorIsReadWithoutSwitchingAndSkipsTheReleaseCandidate) {
  FakeSource source = cluster_source();
  const auto minor = resolve_target(spec_of("1.31"), kCurrent, source, {});
  EXPECT_EQ(minor.version.str(), "v1.31.4");
  EXPECT_EQ(minor.why, "newest patch of v1.31, from apt");
  EXPECT_EQ(source.asked, std::vector<std::string>{"v1.31"});
  const auto next = resolve_target(spec_of("next-minor"), kCurrent, source, {});
  EXPECT_EQ(next.version.str(), "v1.31.4");
  EXPECT_EQ(next.why, "newest patch of the next minor, v1.31, from apt");
  EXPECT_EQ(resolve_target(spec_of("1.31"), kCurrent, source, {false, true}).version.str(), "v1.31.5-rc.0");
}

TEST(TargetVersionTest, OnlyPreReleasesFailUnlessAllowed) {
  FakeSource source = cluster_source();
  const std::string rc = failure_of(spec_of("1.32"), kCurrent, source);
  EXPECT_NE(rc.find("offers only pre-releases of v1.32 (newest v1.32.0-rc.2)"), std::string::npos) << rc;
  EXPECT_NE(rc.find("--allow-release-candidate-upgrades"), std::string::npos) << rc;
  EXPECT_EQ(resolve_target(spec_of("1.32"), kCurrent, source, {false, true}).version.str(), "v1.32.0-rc.2");
  EXPECT_EQ(resolve_target(spec_of("1.32"), kCurrent, source, {true, false}).version.str(), "v1.32.0-rc.2");
  source.by_minor["v1.32"] = {"1.32.0~beta.0-1.1"};
  const std::string beta = failure_of(spec_of("1.32"), kCurrent, source, {false, true});
  EXPECT_NE(beta.find("--allow-experimental-upgrades"), std::string::npos) << beta;
  EXPECT_EQ(beta.find("--allow-release-candidate-upgrades"), std::string::npos) << beta;
}

TEST(TargetVersionTest, NoVersionsFoundIsAClearError) {
  FakeSource source = cluster_source();
  const std::string none = failure_of(spec_of("1.35"), kCurrent, source);
  EXPECT_NE(none.find("cannot resolve '1.35': apt finds no kubeadm v1.35.x"), std::string::npos) << none;
  source.lists_other_minors = false;
  const std::string unsupported = failure_of(spec_of("next-minor"), kCurrent, source);
  EXPECT_NE(unsupported.find("cannot look at another minor's repository"), std::string::npos) << unsupported;
  EXPECT_NE(unsupported.find("v1.31.0"), std::string::npos) << "suggests an exact version: " << unsupported;
  EXPECT_EQ(resolve_target(spec_of("latest-patch"), kCurrent, source, {}).version.str(), "v1.30.7")
      << "the configured minor needs no other repository";
}

TEST(TargetVersionTest, RelativeFormsNeedTheCurrentVersion) {
  FakeSource source = cluster_source();
  for (const char *spec : {"latest-patch", "next-minor"}) {
    const std::string error = failure_of(spec_of(spec), std::nullopt, source);
    EXPECT_NE(error.find("this node's Kubernetes version is unknown"), std::string::npos) << error;
  }
  EXPECT_EQ(resolve_target(spec_of("1.31"), std::nullopt, source, {}).version.str(), "v1.31.4");
  EXPECT_EQ(resolve_target(spec_of("v1.29.1"), std::nullopt, source, {}).version.str(), "v1.29.1")
      << "an exact version is taken as given";
}

}  // namespace
}  // namespace kuphost
