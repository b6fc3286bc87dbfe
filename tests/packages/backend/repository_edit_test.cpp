// edit_repository (support/repository_edit.hpp) on apt one-line and deb822
// sources and yum .repo files, and yum::minor_baseurl on top of it.
#include <gtest/gtest.h>

#include "support/repository_edit.hpp"
#include "yum/yum_backend.h"

namespace kuphost_plugins {
namespace {

using Minors = std::vector<std::string>;

// The kup::Error that `fn` throws (its code must be `code`), or a failure.
template <class Fn>
kup::Error error_of(Fn &&fn, kup_status code) {
  try {
    fn();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e;
  }
  ADD_FAILURE() << "no kup::Error thrown";
  return kup::Error(KUP_OK, "");
}

TEST(EditRepository, OneLineListWithSignedBy) {
  const std::string before =
      "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n";
  const RepositoryEdit edit = edit_repository(before, "/etc/apt/sources.list.d/kubernetes.list", "v1.31");
  EXPECT_TRUE(edit.changed);
  EXPECT_EQ(edit.minors, Minors{"v1.30"});
  EXPECT_EQ(edit.text,
            "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n");
}

TEST(EditRepository, InspectOnlyWithAnEmptyMinor) {
  const std::string before = "deb https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n";
  const RepositoryEdit edit = edit_repository(before, "kubernetes.list", "");
  EXPECT_FALSE(edit.changed);
  EXPECT_EQ(edit.text, before);
  EXPECT_EQ(edit.minors, Minors{"v1.30"});
}

TEST(EditRepository, AlreadyAtTheMinorIsUnchanged) {
  const std::string before = "deb [signed-by=/k.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /";  // no final newline
  const RepositoryEdit edit = edit_repository(before, "kubernetes.list", "v1.31");
  EXPECT_FALSE(edit.changed);
  EXPECT_EQ(edit.text, before);
  EXPECT_EQ(edit.minors, Minors{"v1.31"});
}

TEST(EditRepository, CommentsStayAsWritten) {
  const std::string before =
      "# was: deb https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /\n"
      "# deb https://apt.kubernetes.io/ kubernetes-xenial main\n"
      "deb https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n";
  const RepositoryEdit edit = edit_repository(before, "kubernetes.list", "v1.31");
  EXPECT_EQ(edit.text,
            "# was: deb https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /\n"
            "# deb https://apt.kubernetes.io/ kubernetes-xenial main\n"
            "deb https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n");
  EXPECT_EQ(edit.minors, Minors{"v1.30"});
}

TEST(EditRepository, CriOAddonsUrlsAreLeftAlone) {
  const std::string before =
      "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n"
      "deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.30/deb/ /\n";
  const RepositoryEdit edit = edit_repository(before, "kubernetes.list", "v1.31");
  EXPECT_EQ(edit.text,
            "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n"
            "deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.30/deb/ /\n");
  // A file with only the addons repository has nothing kuphost may switch.
  const auto e = error_of(
      [] {
        edit_repository("deb https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.30/deb/ /\n", "cri-o.list", "v1.31");
      },
      KUP_E_PREREQUISITE_MISSING);
  EXPECT_NE(std::string(e.what()).find("cri-o.list has no active pkgs.k8s.io core repository URL"), std::string::npos)
      << e.what();
}

TEST(EditRepository, LegacyHostsAreRefusedWithTheMigrationMessage) {
  const std::pair<const char *, const char *> cases[] = {
      {"deb https://apt.kubernetes.io/ kubernetes-xenial main\n", "apt.kubernetes.io"},
      {"[kubernetes]\nbaseurl=https://packages.cloud.google.com/yum/repos/kubernetes-el7-$basearch\n"
       "gpgkey=https://packages.cloud.google.com/yum/doc/rpm-package-key.gpg\n",
       "packages.cloud.google.com"},
      {"[kubernetes]\nbaseurl=https://yum.kubernetes.io/repos/kubernetes-el7-x86_64\n", "yum.kubernetes.io"}};
  for (const auto &[repo_text, host] : cases) {
    // clang 14 cannot capture a structured binding in a lambda.
    const char *text = repo_text;
    const auto e = error_of([text] { edit_repository(text, "/etc/k8s.file", "v1.31"); }, KUP_E_PREREQUISITE_MISSING);
    const std::string message = e.what();
    EXPECT_NE(message.find(std::string("/etc/k8s.file uses the legacy repository ") + host), std::string::npos)
        << message;
    EXPECT_NE(message.find("removed on 2024-03-04"), std::string::npos) << message;
    EXPECT_NE(message.find("https://pkgs.k8s.io/core:/stable:/<minor>/"), std::string::npos) << message;
    EXPECT_NE(message.find("https://kubernetes.io/blog/2023/08/15/pkgs-k8s-io-introduction/"), std::string::npos)
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
}

// A real armored key (generated for this test), embedded as deb822 allows:
// continuation lines indented by one blank, the empty line written " .".
constexpr const char *kEmbeddedKey =
    "Signed-By:\n"
    " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
    " .\n"
    " mDMEawi/FhYJKwYBBAHaRw8BAQdARnpU40Y03uVvxVLrdLOhzvTdn9ZF3rYh2VoO\n"
    " Mnx1evq0IGt1cGhvc3QgdGVzdCA8dEBleGFtcGxlLmludmFsaWQ+iJAEExYIADgW\n"
    " IQTn0ze1lIRmN0LzCrYgUl/D8HLUuQUCawi/FgIbAwULCQgHAgYVCgkICwIEFgID\n"
    " AQIeAQIXgAAKCRAgUl/D8HLUuT4aAQCYnkqqKi2eWVndG9Ove+JgkNvcmBpguzV2\n"
    " 5D/d9LfnkQEAhXrue4Nlrbl1549oL7ASCF5J41M4wOW8yqWLBjwlEQE=\n"
    " =8EIC\n"
    " -----END PGP PUBLIC KEY BLOCK-----\n";

TEST(EditRepository, Deb822SourcesWithAKeyringPath) {
  const std::string before =
      "Types: deb\n"
      "URIs: https://pkgs.k8s.io/core:/stable:/v1.30/deb/\n"
      "Suites: /\n"
      "Signed-By: /etc/apt/keyrings/kubernetes-apt-keyring.gpg\n";
  const RepositoryEdit edit = edit_repository(before, "/etc/apt/sources.list.d/kubernetes.sources", "v1.31");
  EXPECT_TRUE(edit.changed);
  EXPECT_EQ(edit.text,
            "Types: deb\n"
            "URIs: https://pkgs.k8s.io/core:/stable:/v1.31/deb/\n"
            "Suites: /\n"
            "Signed-By: /etc/apt/keyrings/kubernetes-apt-keyring.gpg\n");
}

TEST(EditRepository, Deb822EmbeddedKeyAndOtherStanzasStayByteIdentical) {
  const std::string debian_stanza =
      "# Debian's own archive, in the same file\n"
      "Types: deb deb-src\n"
      "URIs: http://deb.debian.org/debian\n"
      "Suites: bookworm bookworm-updates\n"
      "Components: main contrib\n"
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n";
  const std::string before = debian_stanza +
                             "\n"
                             "Types: deb\n"
                             "URIs: https://pkgs.k8s.io/core:/stable:/v1.30/deb/\n"
                             "Suites: /\n" +
                             kEmbeddedKey;
  const RepositoryEdit edit = edit_repository(before, "/etc/apt/sources.list.d/kubernetes.sources", "v1.31");
  EXPECT_TRUE(edit.changed);
  EXPECT_EQ(edit.minors, Minors{"v1.30"});
  EXPECT_EQ(edit.text, debian_stanza +
                           "\n"
                           "Types: deb\n"
                           "URIs: https://pkgs.k8s.io/core:/stable:/v1.31/deb/\n"
                           "Suites: /\n" +
                           kEmbeddedKey);
  // Only the minor moved: same length, one two-character difference.
  ASSERT_EQ(edit.text.size(), before.size());
  size_t differing = 0;
  for (size_t i = 0; i < before.size(); ++i) differing += before[i] != edit.text[i];
  EXPECT_EQ(differing, 1u);  // "v1.30" -> "v1.31"
}

TEST(EditRepository, RepoFileBaseurlAndGpgkeyBothMove) {
  const std::string before =
      "[kubernetes]\n"
      "name=Kubernetes\n"
      "baseurl=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\n"
      "enabled=1\n"
      "gpgcheck=1\n"
      "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n"
      "# baseurl=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/\n"
      "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";
  const RepositoryEdit edit = edit_repository(before, "/etc/yum.repos.d/kubernetes.repo", "v1.31");
  EXPECT_TRUE(edit.changed);
  EXPECT_EQ(edit.minors, Minors{"v1.30"});
  EXPECT_EQ(edit.text,
            "[kubernetes]\n"
            "name=Kubernetes\n"
            "baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"
            "enabled=1\n"
            "gpgcheck=1\n"
            "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key\n"
            "# baseurl=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/\n"
            "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n");
}

TEST(EditRepository, AlternativeHostNamesAndMixedMinorsAreAllSwitched) {
  const std::string before =
      "baseurl=https://pkgs.kubernetes.io/core:/stable:/v1.29/rpm/\n"
      "gpgkey=https://packages.kubernetes.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n";
  const RepositoryEdit edit = edit_repository(before, "kubernetes.repo", "v1.31");
  EXPECT_EQ(edit.minors, (Minors{"v1.29", "v1.30"}));
  EXPECT_EQ(edit.text,
            "baseurl=https://pkgs.kubernetes.io/core:/stable:/v1.31/rpm/\n"
            "gpgkey=https://packages.kubernetes.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key\n");
}

TEST(MinorBaseurl, TheCoreBaseurlAtTheNewMinor) {
  const std::string repo =
      "[kubernetes]\n"
      "name=Kubernetes\n"
      "#baseurl=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/\n"
      "baseurl=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\n"
      "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n";
  EXPECT_EQ(yum::minor_baseurl(repo, "/etc/yum.repos.d/kubernetes.repo", "v1.31"),
            "https://pkgs.k8s.io/core:/stable:/v1.31/rpm/");
  EXPECT_EQ(yum::minor_baseurl(repo, "/etc/yum.repos.d/kubernetes.repo", "v1.30"),
            "https://pkgs.k8s.io/core:/stable:/v1.30/rpm/");
}

TEST(MinorBaseurl, SkipsAnAddonsBaseurlOfAnotherSection) {
  const std::string repo =
      "[cri-o]\n"
      "baseurl=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.30/rpm/\n"
      "[kubernetes]\n"
      "baseurl = https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\n";
  EXPECT_EQ(yum::minor_baseurl(repo, "kubernetes.repo", "v1.31"), "https://pkgs.k8s.io/core:/stable:/v1.31/rpm/");
}

TEST(MinorBaseurl, OnlyAGpgkeyIsNotEnough) {
  const auto e = error_of(
      [] {
        yum::minor_baseurl("[k]\nmirrorlist=https://mirror.example.invalid/list\n"
                           "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n",
                           "/etc/yum.repos.d/kubernetes.repo", "v1.31");
      },
      KUP_E_PREREQUISITE_MISSING);
  EXPECT_NE(std::string(e.what()).find("/etc/yum.repos.d/kubernetes.repo has no baseurl="), std::string::npos)
      << e.what();
}

TEST(MinorBaseurl, LegacyRepositoryIsRefused) {
  const auto e = error_of(
      [] {
        yum::minor_baseurl("[kubernetes]\nbaseurl=https://packages.cloud.google.com/yum/repos/kubernetes-el7-x86_64\n",
                           "/etc/yum.repos.d/kubernetes.repo", "v1.31");
      },
      KUP_E_PREREQUISITE_MISSING);
  EXPECT_NE(std::string(e.what()).find("legacy repository packages.cloud.google.com"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace kuphost_plugins
