// create(): the directory layout, per distro and etcd topology.
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "sandbox_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

std::map<std::string, std::string> os_release(const fs::path &root) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_text(root / "etc/os-release"));
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out[line.substr(0, eq)] = value;
  }
  return out;
}

class CreateLayoutTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    const auto &[distro, etcd] = GetParam();
    Spec spec = test_spec(tmp_.path() / "sb", "cp1:first-control-plane,cp2:other-control-plane,w1:worker");
    spec.distro = distro;
    spec.etcd = etcd;
    sandbox_ = make_sandbox(spec);
  }
  const Node &node(const std::string &name) { return *sandbox_.find(name); }
  bool stacked() const { return std::get<1>(GetParam()) == "stacked"; }
  std::string distro() const { return std::get<0>(GetParam()); }
  // Windows sandboxes keep Linux control planes.
  std::string distro_of(const std::string &name) {
    return distro() == "windows-2022" && node(name).role != "worker" ? "ubuntu-24.04" : distro();
  }

  TempDir tmp_;
  Sandbox sandbox_;
};

TEST_P(CreateLayoutTest, SandboxYamlRecordsTheSpecWithPerNodeDistro) {
  const YAML::Node doc = YAML::LoadFile((sandbox_.dir / "sandbox.yaml").string());
  EXPECT_EQ(doc["kubernetesVersion"].as<std::string>(), "v1.30.5");
  EXPECT_EQ(doc["distro"].as<std::string>(), distro());
  EXPECT_EQ(doc["etcd"].as<std::string>(), std::get<1>(GetParam()));
  ASSERT_EQ(doc["nodes"].size(), 3u);
  for (const auto &n : doc["nodes"]) {
    const std::string name = n["name"].as<std::string>();
    EXPECT_EQ(n["distro"].as<std::string>(), distro_of(name)) << name;
    EXPECT_EQ(n["role"].as<std::string>(), node(name).role);
  }
  EXPECT_EQ(sandbox_.nodes.size(), 3u);
  EXPECT_EQ(node("cp2").root, sandbox_.dir / "nodes/cp2/root");
}

TEST_P(CreateLayoutTest, ClusterYamlHoldsNodesAndDrainablePods) {
  const YAML::Node doc = YAML::LoadFile((sandbox_.dir / "cluster/cluster.yaml").string());
  EXPECT_EQ(doc["kubernetesVersion"].as<std::string>(), "v1.30.5");
  ASSERT_EQ(doc["nodes"].size(), 3u);
  int coredns = 0;
  for (const auto &n : doc["nodes"]) {
    const std::string name = n["name"].as<std::string>();
    EXPECT_EQ(n["os"].as<std::string>(), distro_of(name) == "windows-2022" ? "windows" : "linux") << name;
    EXPECT_EQ(n["kubeletVersion"].as<std::string>(), "v1.30.5");
    EXPECT_TRUE(n["ready"].as<bool>());
    EXPECT_FALSE(n["unschedulable"].as<bool>());
    bool daemonset = false;
    for (const auto &p : n["pods"]) {
      daemonset |= p["ownerKind"].as<std::string>() == "DaemonSet";
      coredns += p["ownerKind"].as<std::string>() == "ReplicaSet" && p["name"].as<std::string>().rfind("coredns-", 0) == 0;
    }
    EXPECT_TRUE(daemonset) << name << " has no kube-proxy pod";
  }
  EXPECT_EQ(coredns, 2);
}

TEST_P(CreateLayoutTest, OsReleaseAndHostnameMatchEachNodesDistro) {
  for (const auto &n : sandbox_.nodes) {
    const auto os = os_release(n.root);
    const std::string d = distro_of(n.name);
    EXPECT_EQ(read_text(n.root / "etc/hostname"), n.name + "\n");
    EXPECT_FALSE(os.at("PRETTY_NAME").empty());
    if (d == "ubuntu-24.04") {
      EXPECT_EQ(os.at("ID"), "ubuntu");
      EXPECT_EQ(os.at("ID_LIKE"), "debian");
      EXPECT_EQ(os.at("VERSION_ID"), "24.04");
      EXPECT_EQ(os.at("NAME"), "Ubuntu");
    } else if (d == "debian-12") {
      EXPECT_EQ(os.at("ID"), "debian");
      EXPECT_EQ(os.at("VERSION_ID"), "12");
      EXPECT_EQ(os.count("ID_LIKE"), 0u);  // Debian has none
    } else if (d == "rhel-9") {
      EXPECT_EQ(os.at("ID"), "rhel");
      EXPECT_EQ(os.at("ID_LIKE"), "fedora");
      EXPECT_EQ(os.at("VERSION_ID").rfind("9.", 0), 0u);
    } else {
      EXPECT_EQ(os.at("ID"), "windows");
      EXPECT_EQ(os.at("VERSION_ID"), "2022");
      EXPECT_EQ(os.at("NAME"), "Windows Server");
    }
  }
}

TEST_P(CreateLayoutTest, ControlPlanesHaveKubeadmStaticPods) {
  for (const char *name : {"cp1", "cp2"}) {
    const fs::path manifests = node(name).root / "etc/kubernetes/manifests";
    EXPECT_EQ(mode_of(manifests), 0700u);
    EXPECT_EQ(mode_of(node(name).root / "etc/kubernetes"), 0755u);
    EXPECT_EQ(mode_of(node(name).root / "etc"), 0755u);
    for (const char *component : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
      const fs::path file = manifests / (std::string(component) + ".yaml");
      EXPECT_EQ(mode_of(file), 0600u) << file;
      const YAML::Node pod = YAML::LoadFile(file.string());
      EXPECT_EQ(pod["kind"].as<std::string>(), "Pod");
      EXPECT_EQ(pod["metadata"]["namespace"].as<std::string>(), "kube-system");
      EXPECT_EQ(pod["metadata"]["labels"]["component"].as<std::string>(), component);
      EXPECT_EQ(pod["metadata"]["labels"]["tier"].as<std::string>(), "control-plane");
      EXPECT_EQ(pod["spec"]["containers"][0]["image"].as<std::string>(),
                "registry.k8s.io/" + std::string(component) + ":v1.30.5");
      EXPECT_TRUE(pod["spec"]["hostNetwork"].as<bool>());
      bool has_host_path = false;
      for (const auto &v : pod["spec"]["volumes"]) has_host_path |= static_cast<bool>(v["hostPath"]["path"]);
      EXPECT_TRUE(has_host_path) << component;
    }
    const YAML::Node apiserver = YAML::LoadFile((manifests / "kube-apiserver.yaml").string());
    std::string etcd_servers;
    for (const auto &flag : apiserver["spec"]["containers"][0]["command"])
      if (flag.as<std::string>().rfind("--etcd-servers=", 0) == 0) etcd_servers = flag.as<std::string>();
    EXPECT_EQ(etcd_servers.find("127.0.0.1") != std::string::npos, stacked()) << etcd_servers;

    const fs::path etcd = manifests / "etcd.yaml";
    ASSERT_EQ(fs::exists(etcd), stacked()) << name;
    if (stacked()) {
      const YAML::Node pod = YAML::LoadFile(etcd.string());
      EXPECT_EQ(pod["spec"]["containers"][0]["image"].as<std::string>(), "registry.k8s.io/etcd:3.5.15-0");
      bool data_dir = false, name_flag = false;
      for (const auto &flag : pod["spec"]["containers"][0]["command"]) {
        data_dir |= flag.as<std::string>() == "--data-dir=/var/lib/etcd";
        name_flag |= flag.as<std::string>() == std::string("--name=") + name;
      }
      EXPECT_TRUE(data_dir);
      EXPECT_TRUE(name_flag);
    }
  }
  EXPECT_FALSE(fs::exists(node("w1").root / "etc/kubernetes/manifests/kube-apiserver.yaml"));
}

TEST_P(CreateLayoutTest, KubeconfigsAndPkiFilesPerRole) {
  const fs::path cp1 = node("cp1").root / "etc/kubernetes", cp2 = node("cp2").root / "etc/kubernetes",
                 w1 = node("w1").root / "etc/kubernetes";
  for (const char *conf : {"admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf"}) {
    EXPECT_EQ(mode_of(cp1 / conf), 0600u) << conf;
    EXPECT_TRUE(fs::exists(cp2 / conf)) << conf;
  }
  EXPECT_TRUE(fs::exists(cp1 / "super-admin.conf"));
  EXPECT_FALSE(fs::exists(cp2 / "super-admin.conf"));
  EXPECT_TRUE(fs::exists(w1 / "kubelet.conf"));
  // A Windows worker's root also plays kuphost's admin machine, which has the admin credentials.
  EXPECT_EQ(fs::exists(w1 / "admin.conf"), distro() == "windows-2022");

  std::vector<std::string> worker_pki;
  for (const auto &e : fs::recursive_directory_iterator(w1 / "pki")) worker_pki.push_back(e.path().filename());
  EXPECT_EQ(worker_pki, std::vector<std::string>{"ca.crt"});

  const fs::path pki = cp2 / "pki";
  EXPECT_EQ(mode_of(pki), 0755u);
  for (const char *base : {"ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client",
                           "apiserver-etcd-client"}) {
    EXPECT_EQ(mode_of(pki / (std::string(base) + ".crt")), 0644u) << base;
    EXPECT_EQ(mode_of(pki / (std::string(base) + ".key")), 0600u) << base;
  }
  EXPECT_EQ(mode_of(pki / "sa.key"), 0600u);
  EXPECT_EQ(mode_of(pki / "sa.pub"), 0644u);
  EXPECT_EQ(mode_of(pki / "etcd/ca.crt"), 0644u);
  EXPECT_EQ(fs::exists(pki / "etcd/ca.key"), stacked());  // external etcd: the CA's key stays outside
  for (const char *base : {"server", "peer", "healthcheck-client"})
    EXPECT_EQ(fs::exists(pki / "etcd" / (std::string(base) + ".crt")), stacked()) << base;
}

TEST_P(CreateLayoutTest, KubeletFilesOnEveryNode) {
  for (const auto &n : sandbox_.nodes) {
    const YAML::Node config = YAML::LoadFile((n.root / "var/lib/kubelet/config.yaml").string());
    EXPECT_EQ(config["kind"].as<std::string>(), "KubeletConfiguration");
    const fs::path current = n.root / "var/lib/kubelet/pki/kubelet-client-current.pem";
    ASSERT_TRUE(fs::is_symlink(current));
    EXPECT_FALSE(fs::read_symlink(current).is_absolute());  // must stay inside the node root
    const std::string pem = read_text(current);
    auto cert = load_cert_pem(pem);
    ASSERT_TRUE(cert);
    EXPECT_EQ(common_name(*cert), "system:node:" + n.name);
    EXPECT_EQ(organizations(*cert), std::vector<std::string>{"system:nodes"});
    EXPECT_TRUE(load_key_pem(pem));
  }
}

TEST_P(CreateLayoutTest, EtcdDataDirOnlyOnStackedControlPlanes) {
  const auto file = YAML::LoadFile((sandbox_.dir / "sandbox.yaml").string());
  std::set<int> ports;
  for (const char *name : {"cp1", "cp2"}) {
    const fs::path data = node(name).root / "var/lib/etcd";
    ASSERT_EQ(fs::exists(data), stacked()) << name;
    // Only stacked control planes run etcdctl against their own member.
    EXPECT_EQ(fs::is_symlink(node(name).root / "usr/bin/etcdctl"), stacked()) << name;
    for (const auto &n : file["nodes"]) {
      if (n["name"].as<std::string>() != name) continue;
      EXPECT_EQ(n["etcdClientPort"].IsDefined(), stacked()) << name;
      // Every control plane's own kube-apiserver, whatever the etcd topology.
      const int apiserver_port = n["apiserverPort"].as<int>(0);
      EXPECT_GT(apiserver_port, 0) << name;
      EXPECT_EQ(node(name).apiserver_port, apiserver_port) << name;
      EXPECT_TRUE(ports.insert(apiserver_port).second) << "port " << apiserver_port << " given twice";
      if (!stacked()) continue;
      for (const char *key : {"etcdClientPort", "etcdPeerPort"}) {
        const int port = n[key].as<int>();
        EXPECT_TRUE(port > 0 && port != 2379 && port != 2380) << name << " " << key << " " << port;
        EXPECT_TRUE(ports.insert(port).second) << "port " << port << " given twice";
      }
    }
    if (!stacked()) continue;
    // Empty: the real member kuphost-apiserver runs initialises it.
    EXPECT_EQ(mode_of(data), 0700u);
    EXPECT_EQ(mode_of(node(name).root / "var/lib"), 0755u);
    EXPECT_TRUE(fs::is_empty(data));
  }
  EXPECT_FALSE(fs::exists(node("w1").root / "var/lib/etcd"));
  EXPECT_FALSE(fs::exists(node("w1").root / "usr/bin/etcdctl"));
  EXPECT_EQ(node("w1").apiserver_port, 0);
}

TEST_P(CreateLayoutTest, PackageRepositoryMatchesTheDistroFamily) {
  for (const auto &n : sandbox_.nodes) {
    const std::string d = distro_of(n.name);
    const fs::path apt = n.root / "etc/apt/sources.list.d/kubernetes.list";
    const fs::path yum = n.root / "etc/yum.repos.d/kubernetes.repo";
    if (d == "ubuntu-24.04" || d == "debian-12") {
      EXPECT_EQ(read_text(apt),
                "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
                "https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n");
      EXPECT_GT(fs::file_size(n.root / "etc/apt/keyrings/kubernetes-apt-keyring.gpg"), 0u);
      EXPECT_FALSE(fs::exists(yum));
    } else if (d == "rhel-9") {
      const std::string repo = read_text(yum);
      EXPECT_NE(repo.find("baseurl=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\n"), std::string::npos) << repo;
      EXPECT_NE(repo.find("gpgkey=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n"),
                std::string::npos);
      EXPECT_NE(repo.find("exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n"), std::string::npos);
      EXPECT_FALSE(fs::exists(apt));
    } else {
      EXPECT_FALSE(fs::exists(apt));
      EXPECT_FALSE(fs::exists(yum));
    }
  }
}

TEST_P(CreateLayoutTest, NodeStateAndCommandLinks) {
  for (const auto &n : sandbox_.nodes) {
    const YAML::Node state = YAML::LoadFile((n.root / "var/lib/kuphost-sandbox/node.yaml").string());
    for (const char *p : {"kubeadm", "kubelet", "kubectl"}) EXPECT_EQ(state["packages"][p].as<std::string>(), "1.30.5");
    EXPECT_EQ(state["units"]["kubelet"]["state"].as<std::string>(), "active");
    EXPECT_EQ(state["runningKubeletVersion"].as<std::string>(), "1.30.5");
    const bool apt = distro_of(n.name) == "ubuntu-24.04" || distro_of(n.name) == "debian-12";
    EXPECT_EQ(state["heldPackages"].size(), apt ? 3u : 0u) << n.name;
    // A Windows worker's usr/bin is the admin machine's: ssh, scp, kubectl.
    const bool windows = distro_of(n.name) == "windows-2022";
    for (const char *command : {"kubeadm", "kubelet", "kubectl", "systemctl", "ssh", "scp"}) {
      const fs::path link = n.root / "usr/bin" / command;
      const std::string c = command;
      const bool expected = windows ? (c == "kubectl" || c == "ssh" || c == "scp") : (c != "ssh" && c != "scp");
      EXPECT_EQ(fs::is_symlink(link), expected) << link;
      if (!expected) continue;
      EXPECT_TRUE(fs::equivalent(link, node_sim_path()));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(DistrosAndEtcd, CreateLayoutTest,
                         ::testing::Combine(::testing::Values("ubuntu-24.04", "debian-12", "rhel-9", "windows-2022"),
                                            ::testing::Values("stacked", "external")),
                         [](const auto &info) {
                           std::string name = std::get<0>(info.param) + "_" + std::get<1>(info.param);
                           for (auto &c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(CreateTest, FillsAnExistingEmptyDirectory) {
  TempDir tmp;
  fs::create_directory(tmp.path() / "sb");
  const Sandbox sb = make_sandbox(test_spec(tmp.path() / "sb", "cp1:first-control-plane"));
  EXPECT_TRUE(fs::exists(sb.dir / "nodes/cp1/root/etc/kubernetes/admin.conf"));
  // No staging directory is left next to it.
  int entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(CreateTest, OlderVersionsHaveNoSuperAdminAndTheirOwnRepository) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb", "cp1:first-control-plane");
  spec.kubernetes_version = "v1.28.9";
  const Sandbox sb = make_sandbox(spec);
  const fs::path root = sb.find("cp1")->root;
  EXPECT_FALSE(fs::exists(root / "etc/kubernetes/super-admin.conf"));
  EXPECT_NE(read_text(root / "etc/apt/sources.list.d/kubernetes.list").find("/v1.28/deb/"), std::string::npos);
}

TEST(LoadTest, ReportsAMissingSandbox) {
  TempDir tmp;
  std::string error;
  EXPECT_FALSE(load(tmp.path() / "nope", &error));
  EXPECT_NE(error.find("sandbox.yaml"), std::string::npos) << error;
}

}  // namespace
}  // namespace kuphost::sandbox::testing
