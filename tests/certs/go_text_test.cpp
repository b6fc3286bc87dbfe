// The Go formatting kubeadm's check-expiration uses: ShortHumanDuration,
// the "Jan 02, 2006 15:04 MST" layout and tabwriter(10, 4, 3, ' ', 0).
#include <gtest/gtest.h>

#include "inventory/go_text.h"

namespace kuphost_plugins::certs {
namespace {

constexpr int64_t kDay = 86400;

TEST(ShortHumanDuration, FollowsApimachineryBoundaries) {
  EXPECT_EQ(short_human_duration(-2), "<invalid>");  // an expired certificate
  EXPECT_EQ(short_human_duration(-1), "0s");         // tolerated clock skew
  EXPECT_EQ(short_human_duration(0), "0s");
  EXPECT_EQ(short_human_duration(59), "59s");
  EXPECT_EQ(short_human_duration(60), "1m");
  EXPECT_EQ(short_human_duration(3599), "59m");
  EXPECT_EQ(short_human_duration(3600), "1h");
  EXPECT_EQ(short_human_duration(kDay - 1), "23h");
  EXPECT_EQ(short_human_duration(kDay), "1d");
  EXPECT_EQ(short_human_duration(30 * kDay - 1), "29d");
  EXPECT_EQ(short_human_duration(365 * kDay - 1), "364d");
  EXPECT_EQ(short_human_duration(365 * kDay), "1y");
  EXPECT_EQ(short_human_duration(3650 * kDay - 1), "9y");
  EXPECT_EQ(short_human_duration(3650 * kDay), "10y");
}

TEST(ResidualSeconds, TruncatesTowardZeroLikeKubeadm) {
  EXPECT_EQ(residual_seconds(100, 50'500), 49);
  EXPECT_EQ(residual_seconds(100, 100'500), 0);    // -0.5 s -> 0
  EXPECT_EQ(residual_seconds(100, 101'999), -1);   // -1.999 s -> -1
  EXPECT_EQ(residual_seconds(100, 102'000), -2);
}

TEST(GoExpiryTime, UsesKubeadmsLayoutInUtc) {
  EXPECT_EQ(go_expiry_time(0), "Jan 01, 1970 00:00 UTC");
  EXPECT_EQ(go_expiry_time(1768471200 + 59), "Jan 15, 2026 10:00 UTC");  // minutes are not rounded
  EXPECT_EQ(rfc3339_utc(1768471200 + 59), "2026-01-15T10:00:59Z");
}

TEST(TabLayout, PadsEveryColumnButTheLastToWidestPlusThreeAtLeastTen) {
  const auto out = tab_layout({"A\tlonger cell\tlast", "abcdefghijkl\t\t"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "A              longer cell   last");
  EXPECT_EQ(out[1], "abcdefghijkl                 ");  // empty cells are padded, the empty last one is not
}

}  // namespace
}  // namespace kuphost_plugins::certs
