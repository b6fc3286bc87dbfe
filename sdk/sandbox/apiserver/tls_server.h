// HTTPS on 127.0.0.1 with Boost.Beast: one thread per connection (kubectl
// opens a handful), HTTP/1.1 keep-alive, client certificates checked
// against the cluster CA after the handshake so a foreign certificate gets
// Kubernetes' 401 Status instead of a TLS alert.
#pragma once

#include <filesystem>
#include <functional>

#include "api_types.h"

namespace kuphost::sandbox::apiserver {

struct TlsFiles {
  std::filesystem::path ca, cert, key;
};

using Handler = std::function<Response(const Request &)>;

class TlsServer {
 public:
  // Binds and listens on 127.0.0.1:port (0 picks one). Throws std::exception.
  TlsServer(const TlsFiles &files, int port, Handler handler);
  ~TlsServer();
  TlsServer(const TlsServer &) = delete;
  TlsServer &operator=(const TlsServer &) = delete;

  int port() const;
  // Accepts connections until the process ends.
  [[noreturn]] void run();

 private:
  struct Impl;
  Impl *impl_;
};

}  // namespace kuphost::sandbox::apiserver
