// load_encryption_key: the two accepted forms, and one clear line otherwise.
#include <gtest/gtest.h>

#include "archive_fixture.h"

namespace fs = std::filesystem;
using namespace backup_archive_test;
using backup_set_test::TempDir;
using backup_set_test::write_file;

namespace {

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::string load_error(const fs::path &path) {
  try {
    eb::load_encryption_key(path);
  } catch (const eb::ArchiveError &error) {
    return error.what();
  }
  return "loaded";
}

}  // namespace

TEST(KeyFile, AcceptsRawBytesAndHexWithOrWithoutNewline) {
  TempDir tmp;
  std::string raw;
  for (int i = 0; i < 32; ++i) raw += static_cast<char>(i);
  write_file(tmp / "raw", raw, 0600);
  write_file(tmp / "hex", kHex + "\n", 0600);
  write_file(tmp / "hex-no-newline", kHex, 0400);
  std::string upper = kHex;
  for (auto &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  write_file(tmp / "HEX", upper, 0600);
  const auto expected = eb::load_encryption_key(tmp / "raw");
  for (const char *name : {"hex", "hex-no-newline", "HEX"}) {
    const auto key = eb::load_encryption_key(tmp / name);
    EXPECT_TRUE(std::equal(key.bytes().begin(), key.bytes().end(), expected.bytes().begin())) << name;
  }
}

TEST(KeyFile, RefusesAFileReadableByGroupOrOthersSayingWhatToRun) {
  TempDir tmp;
  for (const mode_t mode : {0640, 0604, 0620}) {
    write_file(tmp / "key", kHex + "\n", mode);
    const std::string path = (tmp / "key").string();
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(load_error(tmp / "key"), "encryption key file " + path + " is accessible by group or others (mode " +
                                           octal + "); run: chmod 600 " + path);
  }
}

TEST(KeyFile, RefusesAnyOtherFormatInOneLine) {
  TempDir tmp;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"short", "0123"},
      {"hex-63", kHex.substr(1) + "\n"},
      {"hex-crlf", kHex + "\r\n"},
      {"not-hex", "g" + kHex.substr(1)},
      {"raw-33", std::string(33, 'k')},
      {"long", kHex + "\n" + kHex + "\n"},
      {"empty", ""},
  };
  for (const auto &[name, content] : bad) {
    write_file(tmp / name, content, 0600);
    const std::string message = load_error(tmp / name);
    EXPECT_TRUE(message.starts_with("encryption key file " + (tmp / name).string() + " is not a key: expected exactly "
                                    "32 raw bytes or 64 hex characters"))
        << name << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << name;
  }
  EXPECT_THROW(eb::load_encryption_key(tmp / "missing"), std::system_error);
  fs::create_directory(tmp / "dir");
  fs::permissions(tmp / "dir", fs::perms::owner_all, fs::perm_options::replace);
  EXPECT_EQ(load_error(tmp / "dir"), "encryption key file " + (tmp / "dir").string() + " is not a regular file");
}

TEST(KeyFile, AMovedFromKeyIsWiped) {
  auto key = test_key();
  const auto moved = std::move(key);
  for (const auto byte : key.bytes()) EXPECT_EQ(byte, std::byte{0});  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved.bytes()[0], std::byte{0x42});
}
