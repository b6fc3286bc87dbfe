// yum::parse_list on real `dnf list --showduplicates` output. Every input
// below was captured once from dnf 4.14.0 (Debian 12) against a local
// pkgs.k8s.io-shaped rpm repository in an --installroot (test-recipes.md §2),
// byte for byte, trailing blanks included: repository id "kubernetes", one
// package installed from it (@kubernetes) and one with rpm (@System).
#include <gtest/gtest.h>

#include "yum/yum_backend.h"

namespace kuphost_plugins::yum {
namespace {

using Versions = std::vector<std::string>;

// `dnf list --showduplicates kubeadm --disableexcludes=kubernetes`, stdout
// through a pipe (as kuphost reads it): the metadata line, both headers,
// noarch and x86_64 builds of one version, and 1.31.10 listed after 1.31.2.
const std::string kKubeadmPiped = R"(Kubernetes                                      2.9 MB/s | 3.0 kB     00:00    
Installed Packages
kubeadm.noarch                  1.31.2-150500.1.1                    @kubernetes
Available Packages
kubeadm.noarch                  1.31.0-150500.1.1                    kubernetes 
kubeadm.noarch                  1.31.2-150500.1.1                    kubernetes 
kubeadm.x86_64                  1.31.2-150500.1.1                    kubernetes 
kubeadm.noarch                  1.31.10-150500.1.1                   kubernetes 
kubeadm.noarch                  1.31.11-150500.1.1                   kubernetes 
)";

// The same for kubelet, whose packages here carry epoch 1.
const std::string kKubeletWithEpochPiped = R"(Kubernetes                                      2.9 MB/s | 3.0 kB     00:00    
Installed Packages
kubelet.x86_64                  1:1.31.2-150500.1.1                  @kubernetes
Available Packages
kubelet.x86_64                  1:1.31.2-150500.1.1                  kubernetes 
kubelet.x86_64                  1:1.31.9-150500.1.1                  kubernetes 
)";

// A name.arch longer than dnf's name column, through a pipe: dnf keeps the
// row on one line.
const std::string kLongNamePiped = R"(Kubernetes                                      2.9 MB/s | 3.0 kB     00:00    
Installed Packages
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64 1.5.1-150500.1.1 @System   
Available Packages
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64 1.5.1-150500.1.1 kubernetes
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64 1.6.0-150500.1.1 kubernetes
)";

// `dnf --color=never list --showduplicates LONG kubeadm ...` on an
// 80-column terminal (kuphost may run over a remote shell with a tty): the
// long name.arch fills the line and dnf wraps version and repository onto
// the next one.
const std::string kWrappedOnTerminal = R"(Installed Packages
kubeadm.noarch                                    1.31.2-150500.1.1  @kubernetes
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64
                                                  1.5.1-150500.1.1   @System    
Available Packages
kubeadm.noarch                                    1.31.0-150500.1.1  kubernetes 
kubeadm.noarch                                    1.31.2-150500.1.1  kubernetes 
kubeadm.x86_64                                    1.31.2-150500.1.1  kubernetes 
kubeadm.noarch                                    1.31.10-150500.1.1 kubernetes 
kubeadm.noarch                                    1.31.11-150500.1.1 kubernetes 
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64
                                                  1.5.1-150500.1.1   kubernetes 
kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line.x86_64
                                                  1.6.0-150500.1.1   kubernetes 
)";

constexpr const char *kLong = "kubernetes-cni-plugins-with-a-name-long-enough-to-make-dnf-wrap-the-line";

TEST(ParseDnfList, InstalledAndAvailableNewestFirstUnique) {
  EXPECT_EQ(parse_list(kKubeadmPiped, "kubeadm"),
            (Versions{"1.31.11-150500.1.1", "1.31.10-150500.1.1", "1.31.2-150500.1.1", "1.31.0-150500.1.1"}));
}

TEST(ParseDnfList, HeadersMetadataLineAndOtherPackagesAreIgnored) {
  EXPECT_EQ(parse_list(kKubeadmPiped, "kubelet"), Versions{});
  EXPECT_EQ(parse_list(kKubeadmPiped, "Kubernetes"), Versions{});
  EXPECT_EQ(parse_list(kKubeadmPiped, "Installed"), Versions{});
  EXPECT_EQ(parse_list(kKubeadmPiped, "kubeadm.noarch"), Versions{});
  EXPECT_EQ(parse_list("", "kubeadm"), Versions{});
}

TEST(ParseDnfList, EpochsAreKeptAndOrdered) {
  EXPECT_EQ(parse_list(kKubeletWithEpochPiped, "kubelet"),
            (Versions{"1:1.31.9-150500.1.1", "1:1.31.2-150500.1.1"}));
}

TEST(ParseDnfList, LongNameOnOneLineWhenPiped) {
  EXPECT_EQ(parse_list(kLongNamePiped, kLong), (Versions{"1.6.0-150500.1.1", "1.5.1-150500.1.1"}));
}

TEST(ParseDnfList, LongNameWrappedOntoTheNextLine) {
  EXPECT_EQ(parse_list(kWrappedOnTerminal, kLong), (Versions{"1.6.0-150500.1.1", "1.5.1-150500.1.1"}));
  // The rows around the wrapped ones still parse, and a wrapped row of
  // another package lends its version to nobody.
  EXPECT_EQ(parse_list(kWrappedOnTerminal, "kubeadm"),
            (Versions{"1.31.11-150500.1.1", "1.31.10-150500.1.1", "1.31.2-150500.1.1", "1.31.0-150500.1.1"}));
}

TEST(ParseDnfList, SystemRepositoryColumn) {
  // @System: installed with rpm, not from a repository dnf knows.
  ASSERT_NE(kLongNamePiped.find("@System"), std::string::npos);
  EXPECT_EQ(parse_list(kLongNamePiped.substr(0, kLongNamePiped.find("Available")), kLong),
            Versions{"1.5.1-150500.1.1"});
}

}  // namespace
}  // namespace kuphost_plugins::yum
