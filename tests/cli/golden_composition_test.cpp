// Golden composition outputs: the seven real plugins composed for Ubuntu and
// RHEL, first control plane and worker (and the other shapes), from
// descriptor data only. Regenerate with KUPHOST_UPDATE_GOLDEN=1.
#include <algorithm>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <kuphost/kuphost.h>

#include "compose/composer.h"
#include "loader/plugin_catalog.h"
#include "report/plan_report.h"
#include "support/strings.h"
#include "test_support.h"

namespace kuphost {
namespace {

struct Shape {
  const char *golden;
  const char *os_id, *pretty, *family;
  Role role;
  uint32_t etcd;
  const char *plugins;  // "" = every installed plugin (the default)
};

// Named in ctest's output instead of gtest's raw byte dump.
void PrintTo(const Shape &s, std::ostream *out) { *out << s.golden; }

NodeFacts facts_for(const Shape &s) {
  NodeFacts f;
  f.node_name = s.role == Role::kWorker ? "w1" : "cp1";
  f.os_id = s.os_id;
  f.os_pretty_name = s.pretty;
  f.family = s.family;
  f.family_mask = family_mask(s.family);
  f.arch = "amd64";
  f.role = s.role;
  f.role_source = "from the test";
  f.etcd_mask = s.etcd;
  f.etcd_source = "from the test";
  return f;
}

class GoldenComposition : public ::testing::TestWithParam<Shape> {};

TEST_P(GoldenComposition, MatchesTheGoldenFile) {
  const Shape &s = GetParam();
  PluginCatalog catalog({test::plugin_dir()}, false);
  catalog.scan();
  std::vector<const LoadedPlugin *> selected{&catalog.resolve("kubeadm")};
  std::set<std::string> requested;
  if (std::string(s.plugins).empty()) {
    for (auto *p : catalog.load_all())
      if (p->id != "kubeadm") selected.push_back(p);
  } else {
    for (const auto &name : split(s.plugins, ',')) {
      selected.push_back(&catalog.resolve(name));
      requested.insert(selected.back()->id);
    }
  }
  const std::string text = composition_text(compose(selected, facts_for(s), requested), facts_for(s));
  const auto file = test::golden_dir() / (std::string(s.golden) + ".txt");
  if (std::getenv("KUPHOST_UPDATE_GOLDEN")) test::write_file(file, text);
  EXPECT_EQ(text, test::read_file(file)) << "golden " << file << " differs; if intended, regenerate with "
                                                                     "KUPHOST_UPDATE_GOLDEN=1";
}

const Shape kShapes[] = {
    {"ubuntu-first-control-plane", "ubuntu", "Ubuntu 24.04 LTS", "debian", Role::kFirstControlPlane, KUP_ETCD_STACKED, ""},
    {"ubuntu-worker", "ubuntu", "Ubuntu 24.04 LTS", "debian", Role::kWorker, 0, ""},
    {"rhel-first-control-plane", "rhel", "Red Hat Enterprise Linux 9.4", "rhel", Role::kFirstControlPlane, KUP_ETCD_STACKED, ""},
    {"rhel-worker", "rhel", "Red Hat Enterprise Linux 9.4", "rhel", Role::kWorker, 0, ""},
    {"debian-other-control-plane-external-etcd", "debian", "Debian GNU/Linux 12", "debian", Role::kOtherControlPlane, KUP_ETCD_EXTERNAL, ""},
    {"windows-worker", "windows", "Windows Server 2022", "windows", Role::kWorker, 0, ""},
    // One --plugins list, four nodes.
    {"list-etcd-certs-ubuntu-first-control-plane", "ubuntu", "Ubuntu 24.04 LTS", "debian", Role::kFirstControlPlane, KUP_ETCD_STACKED, "etcd,certs"},
    {"list-etcd-certs-ubuntu-worker", "ubuntu", "Ubuntu 24.04 LTS", "debian", Role::kWorker, 0, "etcd,certs"},
    {"list-etcd-certs-rhel-first-control-plane", "rhel", "Red Hat Enterprise Linux 9.4", "rhel", Role::kFirstControlPlane, KUP_ETCD_STACKED, "etcd,certs"},
    {"list-etcd-certs-rhel-worker", "rhel", "Red Hat Enterprise Linux 9.4", "rhel", Role::kWorker, 0, "etcd,certs"},
};

INSTANTIATE_TEST_SUITE_P(Shapes, GoldenComposition, ::testing::ValuesIn(kShapes),
                         [](const auto &info) {
                           std::string name = info.param.golden;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Composition, SameSelectionDiffersByDistroAndRole) {
  const auto read = [](const char *name) { return test::read_file(test::golden_dir() / (std::string(name) + ".txt")); };
  const auto phases_of = [](const std::string &text) {
    std::vector<std::string> ids;
    bool in_table = false;
    for (const auto &raw : split(text, '\n', /*skip_empty=*/false)) {
      const std::string line(trim(raw));
      if (starts_with(line, "#")) {
        in_table = true;
      } else if (in_table) {
        if (line.empty()) break;
        ids.push_back(split(line, ' ')[2]);
      }
    }
    return ids;
  };
  const auto ucp = phases_of(read("ubuntu-first-control-plane"));
  const auto uw = phases_of(read("ubuntu-worker"));
  const auto rcp = phases_of(read("rhel-first-control-plane"));
  EXPECT_NE(ucp, uw);
  EXPECT_NE(ucp, rcp);
  EXPECT_NE(std::find(ucp.begin(), ucp.end(), "apt/repository"), ucp.end());
  EXPECT_NE(std::find(rcp.begin(), rcp.end(), "yum/repository"), rcp.end());
  EXPECT_NE(std::find(ucp.begin(), ucp.end(), "kubeadm/upgrade-apply"), ucp.end());
  EXPECT_NE(std::find(uw.begin(), uw.end(), "kubeadm/upgrade-node"), uw.end());
  EXPECT_EQ(std::find(uw.begin(), uw.end(), "etcd-backup/backup"), uw.end());
}

}  // namespace
}  // namespace kuphost
