//===- snapshot/https_post_stream.h - one mTLS POST, the answer as a stream --
//
// Boost.Beast over Asio's OpenSSL stream, like the sandbox API server. The
// answer is handed over piece by piece, so a snapshot of several GB never
// sits in memory.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_HTTPS_POST_STREAM_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_HTTPS_POST_STREAM_H

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "etcd_client_tls.h"

namespace kuphost_plugins::etcd_backup {

struct HttpsAddress {
  std::string host;  // name, IPv4, or IPv6 without brackets
  std::string port;
};

// "https://HOST:PORT" or "https://[V6]:PORT" (a trailing "/" is fine).
// Throws SnapshotError for anything else.
HttpsAddress parse_https_endpoint(const std::string &endpoint);

// POSTs `json` to `target` at `server.endpoint`, verifying the server against
// `server.ca_cert` (name or IP SAN) and presenting the client certificate if
// one is set. Calls `on_body` with each piece of a 200 answer's body. No step
// (connect, handshake, each read) may stall longer than `idle_timeout`.
// Throws SnapshotError for network, TLS and HTTP errors (non-200: status and
// the start of the body); exceptions from `on_body` pass through.
void https_post_stream(const EtcdClientTls &server, const std::string &target, const std::string &json,
                       const std::function<void(std::string_view)> &on_body,
                       std::chrono::milliseconds idle_timeout);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_HTTPS_POST_STREAM_H
