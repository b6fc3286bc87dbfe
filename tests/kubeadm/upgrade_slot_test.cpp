// The upgrade slot's time format and expiry rule; taking, renewing and
// losing slots is tested against the sandbox API server in tests/cluster.
#include <gtest/gtest.h>

#include "upgrade_slot.h"

namespace kuphost_plugins::kubeadm {
namespace {

TEST(UpgradeSlot, MicroTimeIsKubernetesMicroTimeAndRoundTrips) {
  const int64_t ms = 1795724311123;  // 2026-11-26T20:18:31.123Z
  EXPECT_EQ(micro_time(ms), "2026-11-26T20:18:31.123000Z");
  EXPECT_EQ(parse_micro_time(micro_time(ms)), ms);
}

TEST(UpgradeSlot, ParsesTheTimesKubernetesWrites) {
  EXPECT_EQ(parse_micro_time("2026-11-26T20:18:31Z"), 1795724311000);
  EXPECT_EQ(parse_micro_time("2026-11-26T20:18:31.5Z"), 1795724311500);
  EXPECT_EQ(parse_micro_time("2026-11-26T20:18:31.123456789Z"), 1795724311123);
  EXPECT_FALSE(parse_micro_time("2026-11-26 20:18:31"));
  EXPECT_FALSE(parse_micro_time("2026-11-26T20:18:31+01:00"));
  EXPECT_FALSE(parse_micro_time(""));
}

TEST(UpgradeSlot, ControlPlanesShareOneSlotWorkersHaveTheConfiguredNumber) {
  EXPECT_EQ(slot_names(true, 5), std::vector<std::string>{"kuphost-upgrade-control-plane"});
  EXPECT_EQ(slot_names(false, 2),
            (std::vector<std::string>{"kuphost-upgrade-worker-0", "kuphost-upgrade-worker-1"}));
  EXPECT_EQ(slot_names(false, 0), std::vector<std::string>{"kuphost-upgrade-worker-0"});
}

TEST(UpgradeSlot, ALeaseIsFreeWhenUnheldOrNotRenewedWithinItsDuration) {
  LeaseRecord lease;
  EXPECT_TRUE(lease.expired_at(0));  // no holder
  lease.holder = "w1";
  lease.renew_unix_ms = 10'000;
  lease.duration_s = 15;
  EXPECT_FALSE(lease.expired_at(10'000));
  EXPECT_FALSE(lease.expired_at(25'000));
  EXPECT_TRUE(lease.expired_at(25'001));
}

}  // namespace
}  // namespace kuphost_plugins::kubeadm
