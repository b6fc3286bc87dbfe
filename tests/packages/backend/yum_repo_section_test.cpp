// yum::find_kubernetes_section and yum::exclusion_bypass: which repository
// id --disableexcludes names, and whether it is passed at all.
#include <gtest/gtest.h>

#include "yum/yum_backend.h"
#include "yum/yum_repo_section.h"

namespace kuphost_plugins::yum {
namespace {

using Argv = std::vector<std::string>;

// The "verify" example of the change-package-repository page: active exclude.
constexpr const char *kUpstreamActive =
    "[kubernetes]\n"
    "name=Kubernetes\n"
    "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
    "enabled=1\n"
    "gpgcheck=1\n"
    "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key\n"
    "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";

// The "switch" example of the same page: the exclude= commented out.
constexpr const char *kUpstreamCommented =
    "[kubernetes]\n"
    "name=Kubernetes\n"
    "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
    "enabled=1\n"
    "gpgcheck=1\n"
    "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key\n"
    "#exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";

TEST(KubernetesRepoSection, UpstreamFileWithActiveExclude) {
  const auto section = find_kubernetes_section(kUpstreamActive);
  ASSERT_TRUE(section);
  EXPECT_EQ(section->id, "kubernetes");
  EXPECT_TRUE(section->excludes);
  EXPECT_EQ(exclusion_bypass(false, section), Argv{"--disableexcludes=kubernetes"});
  EXPECT_EQ(exclusion_bypass(true, section), Argv{"--setopt=disable_excludes=kubernetes"});
}

TEST(KubernetesRepoSection, CommentedExcludeNeedsNoBypass) {
  const auto section = find_kubernetes_section(kUpstreamCommented);
  ASSERT_TRUE(section);
  EXPECT_EQ(section->id, "kubernetes");
  EXPECT_FALSE(section->excludes);
  EXPECT_EQ(exclusion_bypass(false, section), Argv{});
  EXPECT_EQ(exclusion_bypass(true, section), Argv{});
  // ";" comments too, and an exclude= with nothing after it excludes nothing.
  EXPECT_FALSE(find_kubernetes_section("[kubernetes]\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
                                       "; exclude=kubelet\nexclude=\n")
                   ->excludes);
}

TEST(KubernetesRepoSection, RenamedSectionIsNamed) {
  const std::string repo =
      "[epel]\n"
      "name=Extra Packages\n"
      "baseurl=https://mirror.example.invalid/epel/9/x86_64/\n"
      "exclude=kubectl\n"
      "\n"
      "[ k8s-core-v1.31 ]\n"
      "name=Kubernetes v1.31\n"
      "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
      "excludepkgs=kubelet kubeadm kubectl\n";
  const auto section = find_kubernetes_section(repo);
  ASSERT_TRUE(section);
  EXPECT_EQ(section->id, "k8s-core-v1.31");
  EXPECT_TRUE(section->excludes);
  EXPECT_EQ(exclusion_bypass(false, section), Argv{"--disableexcludes=k8s-core-v1.31"});
}

TEST(KubernetesRepoSection, ExcludeOfAnotherSectionDoesNotCount) {
  const std::string repo =
      "[cri-o]\n"
      "baseurl=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.31/rpm/\n"
      "exclude=cri-o\n"
      "[kubernetes]\n"
      "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
      "#exclude=kubelet kubeadm kubectl\n"
      "[other]\n"
      "baseurl=https://mirror.example.invalid/\n"
      "exclude=kube*\n";
  const auto section = find_kubernetes_section(repo);
  ASSERT_TRUE(section);
  EXPECT_EQ(section->id, "kubernetes");
  EXPECT_FALSE(section->excludes);
}

TEST(KubernetesRepoSection, SpacesAroundEqualsAndContinuationLines) {
  const std::string repo =
      "[kubernetes]\n"
      "baseurl =\n"
      "    https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
      "exclude =\n"
      "  kubelet kubeadm\n"
      "  kubectl\n";
  const auto section = find_kubernetes_section(repo);
  ASSERT_TRUE(section);
  EXPECT_EQ(section->id, "kubernetes");
  EXPECT_TRUE(section->excludes);
}

TEST(KubernetesRepoSection, CommentedBaseurlOrLegacyFileHasNone) {
  EXPECT_FALSE(find_kubernetes_section("[kubernetes]\n#baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
                                       "exclude=kube*\n"));
  EXPECT_FALSE(find_kubernetes_section("[kubernetes]\nbaseurl=https://packages.cloud.google.com/yum/repos/"
                                       "kubernetes-el7-x86_64\nexclude=kube*\n"));
  EXPECT_FALSE(find_kubernetes_section("baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"));  // no [section]
  EXPECT_EQ(exclusion_bypass(false, std::nullopt), Argv{});
}

TEST(ListInMinorArgv, Dnf4AndDnf5IgnoreAllExcludesOfTheAdHocRepository) {
  YumTool dnf4{"dnf", false}, dnf5{"dnf", true};
  const Argv expected4{"dnf",
                       "--repofrompath=kuphost-v1.32,https://pkgs.k8s.io/core:/stable:/v1.32/rpm/",
                       "--repo=kuphost-v1.32",
                       "--disableexcludes=all",
                       "--setopt=cachedir=/scratch/dnf-cache",
                       "list",
                       "--showduplicates",
                       "kubeadm"};
  EXPECT_EQ(list_in_minor_argv(dnf4, "kubeadm", "v1.32", "https://pkgs.k8s.io/core:/stable:/v1.32/rpm/",
                               "/scratch/dnf-cache"),
            expected4);
  Argv expected5 = expected4;
  expected5[3] = "--setopt=disable_excludes=*";
  EXPECT_EQ(list_in_minor_argv(dnf5, "kubeadm", "v1.32", "https://pkgs.k8s.io/core:/stable:/v1.32/rpm/",
                               "/scratch/dnf-cache"),
            expected5);
}

}  // namespace
}  // namespace kuphost_plugins::yum
