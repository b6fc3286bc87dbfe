// YumBackend through a real kup::Host over the fake command runner: the
// --disableexcludes option follows the .repo file's section id and active
// exclude=, and a failed install reports dnf's "Error: " line.
#include <gtest/gtest.h>

#include "node_host.h"
#include "yum/yum_backend.h"

namespace kuphost_plugins::yum {
namespace {

using kuphost::test::error_of;
using kuphost::test::NodeHost;
using Lines = std::vector<std::string>;

std::string repo_file(const std::string &id, const std::string &exclude_line) {
  return "[" + id +
         "]\n"
         "name=Kubernetes\n"
         "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
         "enabled=1\n"
         "gpgcheck=1\n"
         "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key\n" +
         exclude_line + "\n";
}

class YumBackendHostTest : public ::testing::Test {
 protected:
  YumBackendHostTest() : repository_(node_.host(), kRepositoryFile, {}) {
    node_.h.runner.reply("rpm -q", 1, "package kubeadm is not installed\n");
  }
  // The command lines `backend` ran that start with `prefix`.
  Lines commands_starting(const std::string &prefix) const {
    Lines out;
    for (const auto &c : node_.commands())
      if (c.rfind(prefix, 0) == 0) out.push_back(c);
    return out;
  }

  NodeHost node_;
  RepositoryFile repository_;
};

TEST_F(YumBackendHostTest, ActiveExcludeOfTheUpstreamSection) {
  node_.write(kRepositoryFile, repo_file("kubernetes", "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni"));
  YumBackend backend(node_.host(), YumTool{"dnf", false}, repository_);
  backend.install({{"kubeadm", "1.31.2-150500.1.1"}});
  backend.available_versions("kubeadm");
  EXPECT_EQ(commands_starting("dnf"),
            (Lines{"dnf install -y kubeadm-1.31.2-150500.1.1 --disableexcludes=kubernetes",
                   "dnf list --showduplicates kubeadm --disableexcludes=kubernetes"}));
}

TEST_F(YumBackendHostTest, RenamedSectionIsTheIdPassed) {
  node_.write(kRepositoryFile, repo_file("k8s-stable", "excludepkgs=kubelet kubeadm kubectl"));
  YumBackend backend(node_.host(), YumTool{"yum", false}, repository_);
  backend.install({{"kubeadm", "1.31.2-150500.1.1"}});
  EXPECT_EQ(commands_starting("yum"), Lines{"yum install -y kubeadm-1.31.2-150500.1.1 --disableexcludes=k8s-stable"});
}

TEST_F(YumBackendHostTest, Dnf5UsesTheSetoptForm) {
  node_.write(kRepositoryFile, repo_file("kubernetes", "exclude=kubelet kubeadm kubectl"));
  YumBackend backend(node_.host(), YumTool{"dnf", true}, repository_);
  backend.available_versions("kubeadm");
  EXPECT_EQ(commands_starting("dnf"),
            Lines{"dnf list --showduplicates kubeadm --setopt=disable_excludes=kubernetes"});
}

TEST_F(YumBackendHostTest, CommentedExcludePassesNothing) {
  node_.write(kRepositoryFile, repo_file("kubernetes", "#exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni"));
  YumBackend backend(node_.host(), YumTool{"dnf", false}, repository_);
  backend.install({{"kubeadm", "1.31.2-150500.1.1"}, {"kubelet", "1.31.2-150500.1.1"}});
  backend.available_versions("kubelet");
  EXPECT_EQ(commands_starting("dnf"),
            (Lines{"dnf install -y kubeadm-1.31.2-150500.1.1 kubelet-1.31.2-150500.1.1",
                   "dnf list --showduplicates kubelet"}));
}

TEST_F(YumBackendHostTest, MissingRepoFilePassesNothing) {
  YumBackend backend(node_.host(), YumTool{"dnf", false}, repository_);
  backend.available_versions("kubeadm");
  EXPECT_EQ(commands_starting("dnf"), Lines{"dnf list --showduplicates kubeadm"});
}

TEST_F(YumBackendHostTest, FailedInstallReportsDnfsErrorLine) {
  node_.write(kRepositoryFile, repo_file("kubernetes", "exclude=kubelet kubeadm kubectl"));
  // dnf 4.14.0's real output for a version the repository does not have.
  node_.h.runner.reply("dnf install", 1,
                       "Kubernetes                                      2.9 MB/s | 3.0 kB     00:00    \n"
                       "No match for argument: kubeadm-1.31.9-150500.1.1\n",
                       "Error: Unable to find a match: kubeadm-1.31.9-150500.1.1\n");
  YumBackend backend(node_.host(), YumTool{"dnf", false}, repository_);
  const auto e = error_of([&] { backend.install({{"kubeadm", "1.31.9-150500.1.1"}}); });
  EXPECT_EQ(e.code(), KUP_E_COMMAND_FAILED);
  EXPECT_EQ(std::string(e.what()),
            "`dnf install -y kubeadm-1.31.9-150500.1.1 --disableexcludes=kubernetes` exited with 1: "
            "Error: Unable to find a match: kubeadm-1.31.9-150500.1.1");
}

TEST_F(YumBackendHostTest, FailedDepsolveReportsTheProblemNotTheHint) {
  node_.write(kRepositoryFile, repo_file("kubernetes", ""));
  // dnf 4.14.0's real output for a missing dependency: the last line of
  // stdout is only a hint.
  node_.h.runner.reply("dnf install", 1, "(try to add '--skip-broken' to skip uninstallable packages)\n",
                       "Error: \n"
                       " Problem: conflicting requests\n"
                       "  - nothing provides cri-tools >= 1.31.0 needed by kubeadm-1.31.11-150500.1.1.noarch\n");
  YumBackend backend(node_.host(), YumTool{"dnf", false}, repository_);
  const std::string message = error_of([&] { backend.install({{"kubeadm", "1.31.11-150500.1.1"}}); }).what();
  EXPECT_NE(message.find("exited with 1: Error: Problem: conflicting requests - nothing provides cri-tools >= "
                         "1.31.0 needed by kubeadm-1.31.11-150500.1.1.noarch"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace kuphost_plugins::yum
