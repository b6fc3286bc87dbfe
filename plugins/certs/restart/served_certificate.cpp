#include "served_certificate.h"

#include <netdb.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "inventory/openssl_handles.h"
#include "sigpipe_blocked.h"
#include "support/unique_fd.hpp"

namespace kuphost_plugins::certs {
namespace {

using SslCtxHandle = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX_free>>;
using SslHandle = std::unique_ptr<SSL, OpenSslDeleter<SSL_free>>;
using AddressList = std::unique_ptr<addrinfo, OpenSslDeleter<freeaddrinfo>>;  // any C free function

bool split_endpoint(const std::string &endpoint, std::string &host, std::string &port) {
  const auto colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon + 1 == endpoint.size()) return false;
  host = endpoint.substr(0, colon);
  port = endpoint.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return !host.empty();
}

// A non-blocking connect bounded by `timeout_ms`, then back to blocking
// with the same bound on reads and writes for the handshake.
int connect_with_timeout(const addrinfo *a, int timeout_ms, std::string *why) {
  const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
  if (fd < 0) {
    *why = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
    *why = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int error = 0;
  socklen_t len = sizeof error;
  if (::poll(&p, 1, timeout_ms) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
    *why = error ? std::strerror(error) : "connection timed out";
    ::close(fd);
    return -1;
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace

std::optional<std::string> served_serial_hex(const std::string &endpoint, int timeout_ms, std::string *why) {
  std::string ignored;
  if (!why) why = &ignored;
  const SigpipeBlocked no_sigpipe;
  std::string host, port;
  if (!split_endpoint(endpoint, host, port)) {
    *why = "not host:port: " + endpoint;
    return std::nullopt;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    *why = gai_strerror(rc);
    return std::nullopt;
  }
  AddressList addresses(found);
  for (const addrinfo *a = addresses.get(); a; a = a->ai_next) {
    UniqueFd socket(connect_with_timeout(a, timeout_ms, why));
    if (socket.get() < 0) continue;
    SslCtxHandle ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx) break;
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    SslHandle ssl(SSL_new(ctx.get()));
    if (!ssl || SSL_set_fd(ssl.get(), socket.get()) != 1) break;
    ::fcntl(socket.get(), F_SETFL, 0);  // blocking, bounded by the socket timeouts
    ERR_clear_error();
    if (SSL_connect(ssl.get()) != 1) {
      char text[256];
      ERR_error_string_n(ERR_get_error(), text, sizeof text);
      *why = std::string("TLS handshake failed: ") + text;
      continue;
    }
    X509 *cert = SSL_get0_peer_certificate(ssl.get());
    if (!cert) {
      *why = "the server presented no certificate";
      continue;
    }
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr),
                                                       &BN_free);
    char *hex = serial ? BN_bn2hex(serial.get()) : nullptr;
    if (!hex) break;
    std::string out(hex);
    OPENSSL_free(hex);
    SSL_shutdown(ssl.get());
    return out;
  }
  if (why->empty()) *why = "cannot connect";
  return std::nullopt;
}

}  // namespace kuphost_plugins::certs
