// Encrypted archives: the wrong key, flipped, reordered, truncated and
// appended bytes are all refused, naming the chunk, and leave nothing behind.
#include <gtest/gtest.h>

#include <cstring>

#include "archive_fixture.h"

namespace fs = std::filesystem;
using namespace backup_archive_test;

namespace {

// Small chunks, so the sample set spans many of them.
constexpr std::size_t kChunk = eb::kMinEncryptionChunkSize;

class Encrypted : public ArchiveTest {
 protected:
  void SetUp() override {
    ArchiveTest::SetUp();
    eb::PackOptions options;
    options.encryption_chunk_size = kChunk;
    // Uncompressed: a few MiB, hundreds of chunks.
    eb::pack_set(set(), archive(), eb::ArchiveFormat::kTar, test_key(), options);
    ASSERT_GT(fs::file_size(archive()), chunk_offset(kChunk, 10));
  }
  fs::path archive() const { return out("set.tar.kenc"); }

  // unpack_set's message; expects it to fail and to leave no "restored".
  std::string unpack_error(const std::optional<eb::EncryptionKey> &key) {
    std::string message;
    try {
      eb::unpack_set(archive(), out("restored"), key);
      ADD_FAILURE() << "unpacked";
    } catch (const eb::ArchiveError &error) {
      message = error.what();
    }
    EXPECT_FALSE(fs::exists(out("restored"))) << message;
    return message;
  }
  std::string verify_error() {
    try {
      eb::verify_archive(archive(), test_key());
    } catch (const eb::ArchiveError &error) {
      return error.what();
    }
    return "verify_archive did not throw";
  }
};

}  // namespace

TEST_F(Encrypted, RoundTripsAcrossHundredsOfChunks) {
  eb::unpack_set(archive(), out("restored"), test_key());
  EXPECT_EQ(backup_set_test::snapshot(out("restored")), backup_set_test::snapshot(set()));
  EXPECT_TRUE(eb::verify_archive(archive(), test_key()).ok());
}

TEST_F(Encrypted, TheWrongKeyIsRefusedAndNothingIsExtracted) {
  EXPECT_EQ(unpack_error(test_key(0x43)),
            archive().string() + ": wrong encryption key or corrupted file (authentication failed at chunk 0)");
  fs::create_directory(out("existing"));
  EXPECT_THROW(eb::unpack_set(archive(), out("existing"), test_key(0x43)), eb::ArchiveError);
  EXPECT_TRUE(fs::is_empty(out("existing")));
}

TEST_F(Encrypted, NoKeyOrAKeyForAPlainArchiveIsRefused) {
  EXPECT_EQ(unpack_error(std::nullopt),
            archive().string() + " is encrypted; give the key (etcd-backup.encryption-key-file)");
  eb::pack_set(set(), out("plain.tar.zst"), eb::ArchiveFormat::kTarZstd);
  EXPECT_THROW(eb::unpack_set(out("plain.tar.zst"), out("restored"), test_key()), eb::ArchiveError);
  EXPECT_FALSE(fs::exists(out("restored")));
}

TEST_F(Encrypted, AFlippedByteIsRefusedNamingItsChunk) {
  flip_byte(archive(), chunk_offset(kChunk, 7) + 123);
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": corrupted file (authentication failed at chunk 7)");
  EXPECT_EQ(verify_error(), archive().string() + ": corrupted file (authentication failed at chunk 7)");
}

TEST_F(Encrypted, AFlippedTagOrHeaderByteIsRefused) {
  flip_byte(archive(), chunk_offset(kChunk, 3) - 1);  // the last byte of chunk 2's tag
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": corrupted file (authentication failed at chunk 2)");
  flip_byte(archive(), chunk_offset(kChunk, 3) - 1);
  flip_byte(archive(), 25);  // the salt: another file key, chunk 0 fails
  EXPECT_EQ(unpack_error(test_key()),
            archive().string() + ": wrong encryption key or corrupted file (authentication failed at chunk 0)");
}

TEST_F(Encrypted, SwappedChunksAreRefused) {
  std::string bytes = read_bytes(archive());
  const std::size_t sealed = kChunk + eb::kEncryptionTagSize;
  std::string first = bytes.substr(chunk_offset(kChunk, 4), sealed);
  bytes.replace(chunk_offset(kChunk, 4), sealed, bytes.substr(chunk_offset(kChunk, 5), sealed));
  bytes.replace(chunk_offset(kChunk, 5), sealed, first);
  overwrite_bytes(archive(), bytes);
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": corrupted file (authentication failed at chunk 4)");
}

TEST_F(Encrypted, ATruncatedFileIsRefusedAsTruncated) {
  const std::string whole = read_bytes(archive());
  // Inside the last chunk, inside an earlier chunk, and right after a chunk.
  truncate_to(archive(), whole.size() - 1);
  EXPECT_NE(unpack_error(test_key()).find(": truncated or corrupted (authentication failed at chunk"),
            std::string::npos);

  truncate_to(archive(), chunk_offset(kChunk, 9) + 100);
  EXPECT_EQ(unpack_error(test_key()), archive().string() +
                                          ": truncated or corrupted (authentication failed at chunk 9, the last "
                                          "and shorter than a full chunk)");

  truncate_to(archive(), chunk_offset(kChunk, 9));
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": truncated (ends after chunk 8 without a final chunk)");
  EXPECT_EQ(verify_error(), archive().string() + ": truncated (ends after chunk 8 without a final chunk)");

  truncate_to(archive(), eb::kEncryptedHeaderSize);
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": truncated (ends inside chunk 0)");

  truncate_to(archive(), 20);
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": truncated (ends inside the header)");
}

TEST_F(Encrypted, TheLastChunkCutAtItsBoundaryIsRefused) {
  // Drop the final chunk whole: what is left ends with a full, non-final chunk.
  const std::string whole = read_bytes(archive());
  const std::size_t data = whole.size() - eb::kEncryptedHeaderSize;
  const std::size_t sealed = kChunk + eb::kEncryptionTagSize;
  const std::size_t full_chunks = (data - 1) / sealed;  // all but the final one
  truncate_to(archive(), chunk_offset(kChunk, full_chunks));
  EXPECT_EQ(unpack_error(test_key()), archive().string() + ": truncated (ends after chunk " +
                                          std::to_string(full_chunks - 1) + " without a final chunk)");
}

TEST_F(Encrypted, DataAfterTheFinalChunkIsRefused) {
  overwrite_bytes(archive(), read_bytes(archive()) + std::string(100, 'x'));
  EXPECT_NE(unpack_error(test_key()).find("authentication failed at chunk"), std::string::npos);
}

// The stream on its own: edge sizes around the chunk boundary.
TEST(EncryptedStream, RoundTripsEverySizeAroundTheChunkBoundary) {
  const auto key = test_key();
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk}) {
    std::string plain(size, '\0');
    for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<char>(i * 31 % 251);
    std::string sealed;
    eb::EncryptingWriter writer(
        key,
        [&](std::span<const std::byte> bytes) {
          sealed.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        },
        kChunk);
    writer.write(std::as_bytes(std::span(plain)));
    writer.finish();
    const std::size_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
    EXPECT_EQ(sealed.size(), eb::kEncryptedHeaderSize + size + chunks * eb::kEncryptionTagSize) << size;

    std::size_t offset = 0;
    eb::DecryptingReader reader(
        key,
        [&](std::span<std::byte> out) {
          const std::size_t n = std::min(out.size(), sealed.size() - offset);
          std::memcpy(out.data(), sealed.data() + offset, n);
          offset += n;
          return n;
        },
        "stream");
    std::string opened;
    for (auto chunk = reader.next(); !chunk.empty(); chunk = reader.next())
      opened.append(reinterpret_cast<const char *>(chunk.data()), chunk.size());
    EXPECT_EQ(opened, plain) << size;
  }
}
