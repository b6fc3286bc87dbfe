// HTTPS on 127.0.0.1 with Boost.Beast: one thread per connection (kubectl
// opens a handful), HTTP/1.1 keep-alive, client certificates checked
// against the cluster CA after the handshake so a foreign certificate gets
// Kubernetes' 401 Status instead of a TLS alert. stop() ends it as a
// restarted kube-apiserver ends: the port refuses connections and open ones
// are cut.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "api_types.h"

namespace kuphost::sandbox::apiserver {

struct TlsFiles {
  std::filesystem::path ca, cert, key;
};

using Handler = std::function<Response(const Request &)>;

class TlsServer {
 public:
  // Reads the certificate, key and CA, binds and listens on 127.0.0.1:port
  // (0 picks one). Throws std::exception.
  TlsServer(const TlsFiles &files, int port, Handler handler);
  // Stops it; a thread running run() must have returned (joined) first.
  ~TlsServer();
  TlsServer(const TlsServer &) = delete;
  TlsServer &operator=(const TlsServer &) = delete;

  int port() const;
  // Accepts connections until stop().
  void run();
  // From any thread: closes the listening socket, cuts open connections and
  // waits (briefly) for their requests to finish. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kuphost::sandbox::apiserver
