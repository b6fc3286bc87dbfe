// The tested-versions table (calico.md §2), its config extension
// cni-calico.tested-kubernetes, and the one-line refusal that names both
// ranges and the releases tested with the target.
#include <gtest/gtest.h>

#include <kuphost/kuphost.hpp>

#include "calico_compat.h"
#include "calico_upgrade.h"

namespace kuphost_plugins::cni_calico {
namespace {

KubeVersion v(const char *text) { return *KubeVersion::parse(text); }

TEST(CalicoCompat, BuiltInRowsFollowCalicoDocs) {
  const CompatTable table;
  EXPECT_EQ(table.range_for(v("v3.29.1"))->kubernetes(), "v1.29 to v1.32");
  EXPECT_EQ(table.range_for(v("v3.30.3"))->compact(), "v1.31-v1.35");
  EXPECT_FALSE(table.range_for(v("v3.24.0")));
  EXPECT_FALSE(table.untested(v("v3.30.3"), v("v1.31.2")));
  EXPECT_FALSE(table.untested(v("v3.29.1"), v("v1.30.5")));
}

TEST(CalicoCompat, RefusalNamesBothRangesAndTheAlternatives) {
  CalicoSettings settings;
  settings.version = v("v3.31.0");
  const CalicoInstall install{CalicoInstall::Method::kOperator, "v3.29.1"};
  try {
    check_compatibility(settings, install, v("v1.31.2"));
    FAIL() << "v3.31.0 with v1.31 was accepted";
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_INVALID_CONFIG);
    EXPECT_STREQ(e.what(),
                 "Calico v3.31.0 is tested with Kubernetes v1.32 to v1.35, not the target v1.31; Calico releases "
                 "tested with v1.31: v3.29 (v1.29-v1.32), v3.30 (v1.31-v1.35); set cni-calico.version to one of them");
  }
}

TEST(CalicoCompat, InstalledUntestedWithoutAConfiguredVersionIsAWarning) {
  CalicoSettings settings;  // no version
  const CalicoInstall install{CalicoInstall::Method::kManifest, "v3.27.4"};
  const auto notes = check_compatibility(settings, install, v("v1.31.2"));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0],
            "WARNING: the installed Calico v3.27.4 is tested with Kubernetes v1.27 to v1.29, not the target v1.31; "
            "Calico releases tested with v1.31: v3.29 (v1.29-v1.32), v3.30 (v1.31-v1.35); set cni-calico.version to "
            "one of them to upgrade Calico");
  EXPECT_TRUE(check_compatibility(settings, {CalicoInstall::Method::kManifest, "v3.29.1"}, v("v1.31.2")).empty());
}

TEST(CalicoCompat, ConfigAddsAndReplacesRows) {
  const CompatTable table = CompatTable::with_extension(" 3.33=1.35-1.37, 3.30=1.30-1.35 ");
  EXPECT_EQ(table.range_for(v("v3.33.0"))->kubernetes(), "v1.35 to v1.37");
  EXPECT_EQ(table.range_for(v("v3.30.3"))->kubernetes(), "v1.30 to v1.35");  // replaced
  EXPECT_FALSE(table.untested(v("v3.30.3"), v("v1.30.5")));
  ASSERT_EQ(table.tested_with(36).size(), 2u);  // 3.32 (built in) and 3.33
  EXPECT_EQ(table.tested_with(36)[1].calico_minor, 33);
}

TEST(CalicoCompat, ReleaseOutsideTheTableIsRefusedWithTheHowTo) {
  CalicoSettings settings;
  settings.version = v("v3.40.0");
  try {
    check_compatibility(settings, {CalicoInstall::Method::kManifest, "v3.29.1"}, v("v1.31.2"));
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_NE(std::string(e.what()).find("Calico v3.40.0 is not in kuphost's table of tested Kubernetes versions "
                                         "(add it with cni-calico.tested-kubernetes, e.g. 3.40=1.31-1.31)"),
              std::string::npos)
        << e.what();
  }
  settings.table = CompatTable::with_extension("3.40=1.30-1.33");
  EXPECT_NO_THROW(check_compatibility(settings, {CalicoInstall::Method::kManifest, "v3.29.1"}, v("v1.31.2")));
}

TEST(CalicoCompat, BadExtensionIsOneLineNamingTheKey) {
  for (const char *bad : {"3.33", "3.33=1.35", "3.33=1.37-1.35", "x=1.1-1.2", "4.1=1.30-1.31", "3.33=2.1-2.3"}) {
    try {
      CompatTable::with_extension(bad);
      FAIL() << bad << " was accepted";
    } catch (const kup::Error &e) {
      EXPECT_EQ(e.code(), KUP_E_INVALID_CONFIG);
      const std::string message = e.what();
      EXPECT_EQ(message.find('\n'), std::string::npos);
      EXPECT_EQ(message.rfind("cni-calico.tested-kubernetes is '" + std::string(bad) + "'", 0), 0u) << message;
      EXPECT_NE(message.find("3.33=1.35-1.37"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace kuphost_plugins::cni_calico
