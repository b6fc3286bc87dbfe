// --node outside a sandbox: kuphost on a Linux admin machine driving a
// Windows worker. The node's OS and architecture come from its Node object,
// read with the real kubectl from this machine's PATH and the operator's
// kubeconfig; a Linux node is refused (it runs kuphost itself).
#include <gtest/gtest.h>

#include "test_support.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;

TEST(RemoteNode, AWindowsWorkerIsDescribedFromItsNodeAndALinuxOneIsRefused) {
  test::TempDir tmp;
  const fs::path sandbox = tmp.path() / "sb";
  const auto kuphost = [&](std::vector<std::string> args, const std::vector<std::string> &env = {}) {
    args.insert(args.begin(), test::kuphost_binary().string());
    std::vector<std::string> all_env{"KUPHOST_PLUGIN_PATH="};
    all_env.insert(all_env.end(), env.begin(), env.end());
    return test::run_process(args, all_env);
  };
  auto r = kuphost({"sandbox", "create", sandbox.string(), "--kubernetes-version", "v1.30.5", "--distro",
                    "windows-2022", "--nodes", "cp1:first-control-plane,win1:worker"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = kuphost({"sandbox", "up", sandbox.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The admin machine: a Debian root with the cluster's admin kubeconfig,
  // and the real kubectl first on PATH.
  const fs::path admin = tmp.path() / "admin";
  test::write_file(admin / "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n");
  // The phases run kubectl with the path as given (only the sandbox maps
  // node paths), so the file is at that path under --root and on this machine.
  const std::string kubeconfig = (tmp.path() / "kubeconfig").string();
  test::write_file(kubeconfig, test::read_file(sandbox / "kubeconfig"));
  test::write_file(admin.string() + kubeconfig, test::read_file(sandbox / "kubeconfig"));
  const fs::path bin = tmp.path() / "bin";
  fs::create_directories(bin);
  std::string kubectl = test::read_file(sandbox / "cluster/kubectl-path");
  while (!kubectl.empty() && (kubectl.back() == '\n' || kubectl.back() == ' ')) kubectl.pop_back();
  fs::create_symlink(kubectl, bin / "kubectl");
  const std::vector<std::string> env{"PATH=" + bin.string() + ":/usr/bin:/bin", "HOME=" + tmp.path().string(),
                                     "KUBECACHEDIR=" + (tmp.path() / "kube-cache").string()};

  r = kuphost({"--root", admin.string(), "--node", "win1", "--kubeconfig", kubeconfig, "--plugins",
               "kubeadm,windows-node", "plan", "v1.31.2"},
              env);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Node win1: Windows Server 2022 Datacenter (windows family, amd64)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("role: worker (Windows node, from its status.nodeInfo)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("windows-node/"), std::string::npos) << r.out;

  r = kuphost({"--root", admin.string(), "--node", "cp1", "--kubeconfig", kubeconfig, "plan", "v1.31.2"}, env);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("node cp1 runs linux: run kuphost on that node itself"), std::string::npos) << r.err;
  r = kuphost({"--root", admin.string(), "--node", "win9", "--kubeconfig", kubeconfig, "plan", "v1.31.2"}, env);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("cannot read Node win9 with " + kubeconfig + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  kuphost({"sandbox", "down", sandbox.string()});
}

}  // namespace
}  // namespace kuphost
