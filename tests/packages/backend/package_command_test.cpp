// package_manager_error (support/package_command.hpp): the line of apt's
// and dnf's stderr that says why an install failed. The inputs are apt 2.6's
// and dnf 4.14.0's real stderr (test-recipes.md §1, §2).
#include <gtest/gtest.h>

#include "support/package_command.hpp"

namespace kuphost_plugins {
namespace {

TEST(PackageManagerError, AptFirstELine) {
  EXPECT_EQ(package_manager_error("E: Version '1.31.9-1.1' for 'kubeadm' was not found\n", "E: "),
            "E: Version '1.31.9-1.1' for 'kubeadm' was not found");
  EXPECT_EQ(package_manager_error("W: Some index files failed to download.\n"
                                  "E: Held packages were changed and -y was used without "
                                  "--allow-change-held-packages.\n"
                                  "E: Unable to correct problems, you have held broken packages.\n",
                                  "E: "),
            "E: Held packages were changed and -y was used without --allow-change-held-packages.");
  EXPECT_EQ(package_manager_error("W: only a warning\n", "E: "), "");
}

TEST(PackageManagerError, DnfErrorLine) {
  EXPECT_EQ(package_manager_error("Error: Unable to find a match: kubeadm-1.31.9\n", "Error:"),
            "Error: Unable to find a match: kubeadm-1.31.9");
}

TEST(PackageManagerError, DnfDepsolveProblemIsJoinedOntoTheEmptyErrorLine) {
  const std::string err =
      "Error: \n"
      " Problem: conflicting requests\n"
      "  - nothing provides cri-tools >= 1.31.0 needed by kubeadm-1.31.11-150500.1.1.noarch\n";
  EXPECT_EQ(package_manager_error(err, "Error:"),
            "Error: Problem: conflicting requests - nothing provides cri-tools >= 1.31.0 needed by "
            "kubeadm-1.31.11-150500.1.1.noarch");
}

}  // namespace
}  // namespace kuphost_plugins
