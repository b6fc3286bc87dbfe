// pack_set -> unpack_set gives back the set byte for byte with its modes, in
// every format; verify_archive reads an archive without unpacking it.
#include <gtest/gtest.h>

#include "archive_fixture.h"

namespace fs = std::filesystem;
using namespace backup_archive_test;
using backup_set_test::mode_of;
using backup_set_test::snapshot;

namespace {

struct FormatCase {
  eb::ArchiveFormat format;
  bool encrypted;
};

void PrintTo(const FormatCase &format_case, std::ostream *os) {
  *os << eb::archive_suffix(format_case.format, format_case.encrypted);
}

std::string case_name(const ::testing::TestParamInfo<FormatCase> &info) {
  std::string name = eb::archive_suffix(info.param.format, info.param.encrypted).substr(1);
  for (auto &c : name)
    if (c == '.') c = '_';
  return name;
}

class RoundTrip : public ArchiveTest, public ::testing::WithParamInterface<FormatCase> {
 protected:
  std::optional<eb::EncryptionKey> key() const {
    if (!GetParam().encrypted) return std::nullopt;
    return test_key();
  }
  fs::path archive() const { return out("set" + eb::archive_suffix(GetParam().format, GetParam().encrypted)); }
};

}  // namespace

TEST_P(RoundTrip, GivesBackTheSetByteForByteWithModes) {
  eb::pack_set(set(), archive(), GetParam().format, key());
  EXPECT_EQ(mode_of(archive()), 0600u);
  EXPECT_EQ(names_in(tmp_.path()), (std::vector<std::string>{"etcd", "set", archive().filename().string()}))
      << "no partial file left behind";
  EXPECT_EQ(read_bytes(archive()).starts_with(eb::kEncryptedMagic), GetParam().encrypted);

  eb::unpack_set(archive(), out("restored"), key());
  EXPECT_EQ(snapshot(out("restored")), snapshot(set()));
  EXPECT_EQ(mode_of(out("restored")), 0700u);
  EXPECT_EQ(mode_of(out("restored/locked")), 0700u) << "a private set keeps directories 0700";
  EXPECT_TRUE(eb::verify_set(out("restored")).ok());
  EXPECT_TRUE(eb::verify_archive(archive(), key()).ok());
}

TEST_P(RoundTrip, KeepsTheSourceModesOfANonPrivateSet) {
  eb::CopyOptions options;
  options.private_set = false;
  eb::create_backup_set(tmp_ / "etcd", out("open-set"), options);
  eb::pack_set(out("open-set"), archive(), GetParam().format, key());
  eb::unpack_set(archive(), out("restored"), key());
  EXPECT_EQ(snapshot(out("restored")), snapshot(out("open-set")));
  EXPECT_EQ(mode_of(out("restored/tool")), 0751u);
  EXPECT_EQ(mode_of(out("restored/locked")), 0500u);
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(FormatCase{eb::ArchiveFormat::kTarZstd, false},
                                           FormatCase{eb::ArchiveFormat::kTarGzip, false},
                                           FormatCase{eb::ArchiveFormat::kTar, false},
                                           FormatCase{eb::ArchiveFormat::kTarZstd, true},
                                           FormatCase{eb::ArchiveFormat::kTarGzip, true}),
                         case_name);

TEST_F(ArchiveTest, ManifestIsTheLastEntry) {
  eb::pack_set(set(), out("set.tar"), eb::ArchiveFormat::kTar);
  const auto listing = backup_set_test::run_in(tmp_.path(), {"tar", "-tf", "set.tar"});
  ASSERT_EQ(listing.exit_code, 0) << listing.output;
  EXPECT_TRUE(listing.output.ends_with("\nMANIFEST.sha256\n")) << listing.output;
}

TEST_F(ArchiveTest, UnpacksIntoAnEmptyDirectoryButNotOneWithData) {
  eb::pack_set(set(), out("set.tar.zst"), eb::ArchiveFormat::kTarZstd);
  fs::create_directory(out("empty"));
  eb::unpack_set(out("set.tar.zst"), out("empty"));
  EXPECT_EQ(snapshot(out("empty")), snapshot(set()));
  EXPECT_THROW(eb::unpack_set(out("set.tar.zst"), out("empty")), eb::ArchiveError);
  EXPECT_EQ(snapshot(out("empty")), snapshot(set())) << "a directory with data is never touched";
}

TEST_F(ArchiveTest, ReplacesAPartialFileLeftByACrash) {
  backup_set_test::write_file(out(".set.tar.zst.kuphost-partial"), "cut short", 0600);
  eb::pack_set(set(), out("set.tar.zst"), eb::ArchiveFormat::kTarZstd);
  EXPECT_EQ(names_in(tmp_.path()), (std::vector<std::string>{"etcd", "set", "set.tar.zst"}));
  EXPECT_TRUE(eb::verify_archive(out("set.tar.zst")).ok());
}

TEST_F(ArchiveTest, RefusesToOverwriteAnArchiveOrPackAnIncompleteSet) {
  backup_set_test::write_file(out("set.tar.gz"), "older", 0600);
  EXPECT_THROW(eb::pack_set(set(), out("set.tar.gz"), eb::ArchiveFormat::kTarGzip), eb::ArchiveError);
  EXPECT_EQ(read_bytes(out("set.tar.gz")), "older");
  fs::remove(set() / "MANIFEST.sha256");
  EXPECT_THROW(eb::pack_set(set(), out("other.tar.gz"), eb::ArchiveFormat::kTarGzip), eb::ArchiveError);
  EXPECT_FALSE(fs::exists(out("other.tar.gz")));
}

TEST_F(ArchiveTest, RefusesToPackASetThatNoLongerMatchesItsManifest) {
  std::string db = read_bytes(set() / "member/snap/db");
  db[4000] ^= 0x20;
  backup_set_test::write_file(set() / "member/snap/db", db, 0600);
  try {
    eb::pack_set(set(), out("set.tar.zst"), eb::ArchiveFormat::kTarZstd);
    FAIL() << "packed a changed set";
  } catch (const eb::ArchiveError &error) {
    EXPECT_TRUE(std::string(error.what()).find("member/snap/db: content changed") != std::string::npos)
        << error.what();
  }
  EXPECT_EQ(names_in(tmp_.path()), (std::vector<std::string>{"etcd", "set"})) << "neither archive nor partial";
}

TEST_F(ArchiveTest, VerifyArchiveFindsAChangedEntryAndUnpackRefusesIt) {
  eb::pack_set(set(), out("set.tar"), eb::ArchiveFormat::kTar);
  // Uncompressed, the file data sits in the tar as is: change "tool".
  const std::string bytes = read_bytes(out("set.tar"));
  const std::size_t at = bytes.find("#!/bin/sh\n");
  ASSERT_NE(at, std::string::npos);
  flip_byte(out("set.tar"), at + 3);

  const auto report = eb::verify_archive(out("set.tar"));
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].kind, eb::ProblemKind::kContentChanged);
  EXPECT_EQ(report.problems[0].path, "tool");
  EXPECT_TRUE(eb::describe(report.problems[0]).starts_with("tool: content changed (sha256 "));

  try {
    eb::unpack_set(out("set.tar"), out("restored"));
    FAIL() << "unpacked a changed archive";
  } catch (const eb::ArchiveError &error) {
    EXPECT_TRUE(std::string(error.what()).find("does not match its manifest: tool: content changed") !=
                std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(fs::exists(out("restored")));
}

TEST_F(ArchiveTest, VerifyArchiveReportsMissingAndExtraEntries) {
  write_crafted_tar(out("crafted.tar"), {{CraftedEntry::kDirectory, ".", "", 0700},
                                         {CraftedEntry::kFile, "stray", "x", 0600},
                                         {CraftedEntry::kFile, "MANIFEST.sha256",
                                          read_bytes(set() / "MANIFEST.sha256"), 0600}});
  const auto report = eb::verify_archive(out("crafted.tar"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, eb::ProblemKind::kMissing);
  EXPECT_EQ(report.problems.back().kind, eb::ProblemKind::kExtra);
  EXPECT_EQ(report.problems.back().path, "stray");
}

TEST_F(ArchiveTest, AFlippedByteInACompressedArchiveIsRefused) {
  for (const auto format : {eb::ArchiveFormat::kTarZstd, eb::ArchiveFormat::kTarGzip}) {
    const auto archive = out("set" + eb::archive_suffix(format, false));
    eb::pack_set(set(), archive, format);
    flip_byte(archive, fs::file_size(archive) / 2);
    EXPECT_THROW(eb::unpack_set(archive, out("restored")), eb::ArchiveError) << archive;
    EXPECT_FALSE(fs::exists(out("restored"))) << archive;
    const auto verify = [&] { return eb::verify_archive(archive).ok(); };
    bool clean = true;
    try {
      clean = verify();
    } catch (const eb::ArchiveError &) {
      clean = false;
    }
    EXPECT_FALSE(clean) << archive;
  }
}

TEST(ArchiveFormat, ParsesTheSettingAndNamesFiles) {
  EXPECT_EQ(eb::parse_archive_format("none"), std::nullopt);
  EXPECT_EQ(eb::parse_archive_format("tar.zst"), eb::ArchiveFormat::kTarZstd);
  EXPECT_EQ(eb::parse_archive_format("tar.gz"), eb::ArchiveFormat::kTarGzip);
  EXPECT_THROW(eb::parse_archive_format("zip"), eb::ArchiveError);
  EXPECT_EQ(eb::archive_suffix(eb::ArchiveFormat::kTarZstd, true), ".tar.zst.kenc");
  EXPECT_EQ(eb::archive_suffix(eb::ArchiveFormat::kTarGzip, false), ".tar.gz");
}
