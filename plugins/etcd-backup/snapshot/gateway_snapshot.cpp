#include "gateway_snapshot.h"

#include "gateway_stream_decoder.h"
#include "https_post_stream.h"
#include "partial_file.h"
#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {

GatewaySnapshot save_snapshot_via_gateway(const EtcdClientTls &member, const std::filesystem::path &file,
                                          std::chrono::milliseconds idle_timeout) {
  SnapshotPartFile out(file);
  GatewayStreamDecoder decoder([&out](std::string_view bytes) { out.write(bytes); });
  try {
    https_post_stream(member, "/v3/maintenance/snapshot", "{}",
                      [&decoder](std::string_view body) { decoder.feed(body); }, idle_timeout);
    decoder.finish();
  } catch (const SnapshotError &e) {
    throw SnapshotError("snapshot from " + member.endpoint + " via the JSON gateway: " + e.what());
  }
  out.close();
  // The stream has no end marker other than the trailer itself.
  GatewaySnapshot result{verify_snapshot_trailer(out.partial_path()), decoder.messages()};
  out.commit();
  return result;
}

}  // namespace kuphost_plugins::etcd_backup
