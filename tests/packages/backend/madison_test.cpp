// apt::parse_madison and apt::parse_showhold on the shapes apt prints.
#include <gtest/gtest.h>

#include "apt/apt_backend.h"

namespace kuphost_plugins::apt {
namespace {

using Versions = std::vector<std::string>;

TEST(ParseMadison, PkgsK8sIoLine) {
  EXPECT_EQ(parse_madison("   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n", "kubeadm"),
            Versions{"1.31.2-1.1"});
}

// As apt 2.6 prints it for the local repositories of tests/packages/deb.
TEST(ParseMadison, LocalFileRepository) {
  const std::string out =
      "   kubeadm | 1.31.2-1.1 | file:/srv/repo/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.0-1.1 | file:/srv/repo/core:/stable:/v1.31/deb  Packages\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), (Versions{"1.31.2-1.1", "1.31.0-1.1"}));
}

TEST(ParseMadison, LegacyRepositoryWithDashZeroZero) {
  const std::string out =
      "   kubeadm |  1.27.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n"
      "   kubeadm |  1.27.2-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), (Versions{"1.27.3-00", "1.27.2-00"}));
}

TEST(ParseMadison, OneVersionFromSeveralSourcesOnce) {
  const std::string out =
      "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.1 | http://mirror.example.invalid/k8s/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.1 | file:/srv/repo/core:/stable:/v1.31/deb  Packages\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), Versions{"1.31.2-1.1"});
}

TEST(ParseMadison, OddSpacingAndTabs) {
  const std::string out =
      "kubeadm|1.31.1-1.1|https://pkgs.k8s.io/core:/stable:/v1.31/deb Packages\n"
      "\tkubeadm\t|\t1.31.0-1.1\t|\thttps://pkgs.k8s.io/core:/stable:/v1.31/deb\tPackages\t\n"
      "      kubeadm    |    1.31.2-1.1    |    https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages   \r\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), (Versions{"1.31.2-1.1", "1.31.1-1.1", "1.31.0-1.1"}));
}

TEST(ParseMadison, SourcePackageLinesAreIgnored) {
  const std::string out =
      "   kubeadm | 1.31.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Sources\n"
      "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), Versions{"1.31.2-1.1"});
}

TEST(ParseMadison, OtherPackagesAndNoiseAreIgnored) {
  const std::string out =
      "W: Unable to read /etc/apt/apt.conf.d/ - DirectoryExists (2: No such file or directory)\n"
      "   kubelet | 1.31.5-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "kubeadm-extra | 1.31.6-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm |  | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), Versions{"1.31.2-1.1"});
  EXPECT_EQ(parse_madison(out, "kubelet"), Versions{"1.31.5-1.1"});
  EXPECT_EQ(parse_madison("", "kubeadm"), Versions{});
}

// An epoch outranks any upstream version, and stays in the version string.
TEST(ParseMadison, EpochsSortFirstAndAreKept) {
  const std::string out =
      "   kubectl | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubectl | 1:1.2.3-1 | https://mirror.example.invalid/cloud-sdk  Packages\n"
      "   kubectl | 1.31.10-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n";
  EXPECT_EQ(parse_madison(out, "kubectl"), (Versions{"1:1.2.3-1", "1.31.10-1.1", "1.31.2-1.1"}));
}

TEST(ParseMadison, NewestFirstByDebianVersionOrder) {
  // madison prints in pin order, not version order; strings would put
  // 1.31.9 above 1.31.10.
  const std::string out =
      "   kubeadm | 1.31.9-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.10-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.2 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
      "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n";
  EXPECT_EQ(parse_madison(out, "kubeadm"), (Versions{"1.31.10-1.1", "1.31.9-1.1", "1.31.2-1.2", "1.31.2-1.1"}));
}

TEST(ParseShowhold, NamesOnePerLineWithoutArchitecture) {
  EXPECT_EQ(parse_showhold("kubeadm\nkubectl\nkubelet:arm64\n\n"), (Versions{"kubeadm", "kubectl", "kubelet"}));
  EXPECT_EQ(parse_showhold(""), Versions{});
}

}  // namespace
}  // namespace kuphost_plugins::apt
