// The pods a failed drain names, from kubectl's own messages (kubectl 1.31
// against an API server that answers 429 for a PodDisruptionBudget).
#include <gtest/gtest.h>

#include "drain_output.h"

namespace kuphost_plugins::kubeadm {
namespace {

TEST(DrainOutput, NamesEachPodThatABudgetKeptOnceInOrder) {
  const std::string output =
      "node/w1 cordoned\n"
      "Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-abcde\n"
      "evicting pod default/web-7c9-x2k4q\n"
      "error when evicting pods/\"web-7c9-x2k4q\" -n \"default\" (will retry after 5s): Cannot evict pod as it "
      "would violate the pod's disruption budget.\n"
      "error when evicting pods/\"db-0\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate "
      "the pod's disruption budget.\n"
      "error when evicting pods/\"web-7c9-x2k4q\" -n \"default\" (will retry after 5s): Cannot evict pod as it "
      "would violate the pod's disruption budget.\n"
      "There are pending pods in node \"w1\" when an error occurred: [error when evicting pods/\"web-7c9-x2k4q\" "
      "-n \"default\": global timeout reached: 7s, error when evicting pods/\"db-0\" -n \"shop\": global timeout "
      "reached: 7s]\n";
  EXPECT_EQ(pods_drain_could_not_evict(output), (std::vector<std::string>{"default/web-7c9-x2k4q", "shop/db-0"}));
}

TEST(DrainOutput, NothingNamedWhenTheFailureIsNotAboutPods) {
  EXPECT_TRUE(pods_drain_could_not_evict("error: unable to connect to the server: dial tcp 127.0.0.1:6443").empty());
  EXPECT_TRUE(pods_drain_could_not_evict("pods/\"unterminated").empty());
}

}  // namespace
}  // namespace kuphost_plugins::kubeadm
