//===- snapshot/gateway_stream_decoder.h - etcd's JSON snapshot stream -------
//
// What `POST /v3/maintenance/snapshot` on etcd's grpc-gateway answers
// (observed on etcd 3.4.23 over HTTP/1.1; HTTP/2 carries the same body):
//   200, Content-Type: application/json, Transfer-Encoding: chunked, and a
//   body of newline-terminated JSON objects, one per gRPC SnapshotResponse:
//     {"result":{"remaining_bytes":"90112","blob":"<base64 of 32 KiB>"}}
//     ...
//     {"result":{"blob":"<base64 of the last data chunk>"}}
//     {"result":{"blob":"<base64 of 32 bytes: the SHA-256>"}}
// - `blob` is standard base64 with padding; data chunks are 32 KiB (a
//   database smaller than that arrives in one message).
// - `remaining_bytes` is a uint64, so JSON carries it as a string; it counts
//   the database bytes still to come after this message, and proto3 JSON
//   omits it when it is 0: on the last data chunk and on the digest
//   message, which therefore cannot be told apart by their fields. Only the
//   trailer check (size % 512 == 32, SHA-256) proves the stream was complete.
// - 3.4 sends no `header`; the API reference lists one (and `version` in
//   3.6): fields other than `blob` are ignored.
// - A failure after the 200 arrives in the body as {"error":{...}} with
//   "message" and "grpc_code" (grpc-gateway v1) or "code" (v2).
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_STREAM_DECODER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_STREAM_DECODER_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kuphost_plugins::etcd_backup {

class GatewayStreamDecoder {
 public:
  // Receives the decoded bytes of each blob, in order.
  using BlobSink = std::function<void(std::string_view)>;
  explicit GatewayStreamDecoder(BlobSink sink) : sink_(std::move(sink)) {}

  // Any slice of the response body. Throws SnapshotError on an error
  // message, a message that is not JSON, or a blob that is not base64.
  void feed(std::string_view body);
  // The body ended. Throws SnapshotError when a message was cut off or when
  // no blob came at all.
  void finish();

  uint64_t messages() const { return messages_; }
  uint64_t bytes() const { return bytes_; }

 private:
  void decode_message(std::string_view line);

  BlobSink sink_;
  std::string pending_;  // an incomplete line
  uint64_t messages_ = 0, bytes_ = 0;
};

// Standard base64 with padding, as protobuf's JSON mapping writes bytes.
// Throws SnapshotError when `text` is not base64.
std::string decode_base64(std::string_view text);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_STREAM_DECODER_H
