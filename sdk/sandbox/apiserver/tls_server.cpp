#include "tls_server.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "router.h"

namespace kuphost::sandbox::apiserver {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// How long stop() waits for requests being answered on cut connections.
constexpr auto kStopGrace = std::chrono::seconds(2);

// What the connection threads share with their server. Each thread holds
// it, so a stopped and destroyed server leaves nothing dangling under a
// request still being answered (the io_context outlives their sockets).
struct Shared {
  net::io_context io;
  ssl::context ctx{ssl::context::tls_server};
  Handler handler;
  std::mutex mutex;
  std::condition_variable finished;
  std::set<int> open_fds;  // live connections' sockets, which stop() cuts
  int threads = 0;
  bool stopping = false;
};

std::string name_entry(X509_NAME *name, int nid, int after = -1, int *index = nullptr) {
  const int i = X509_NAME_get_index_by_NID(name, nid, after);
  if (index) *index = i;
  if (i < 0) return {};
  const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  return std::string(reinterpret_cast<const char *>(ASN1_STRING_get0_data(data)),
                     static_cast<size_t>(ASN1_STRING_length(data)));
}

// kube-apiserver's x509 authenticator: a certificate the cluster CA signed
// (for client auth) names the user (CN) and groups (O).
Identity identity_of(SSL *ssl) {
  Identity id;
  X509 *peer = SSL_get1_peer_certificate(ssl);
  if (!peer) return id;
  const bool verified = SSL_get_verify_result(ssl) == X509_V_OK;
  X509_NAME *subject = X509_get_subject_name(peer);
  const std::string cn = name_entry(subject, NID_commonName);
  if (verified && !cn.empty()) {
    id.authenticated = true;
    id.user = cn;
    int index = -1;
    for (std::string o = name_entry(subject, NID_organizationName, -1, &index); index >= 0;
         o = name_entry(subject, NID_organizationName, index, &index))
      id.groups.push_back(o);
  }
  X509_free(peer);
  return id;
}

void converse(ssl::stream<tcp::socket> &stream, const Handler &handler) {
  beast::error_code ec;
  stream.handshake(ssl::stream_base::server, ec);
  if (ec) return;  // e.g. kubectl rejecting our certificate under a wrong CA
  const Identity identity = identity_of(stream.native_handle());
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    http::read(stream, buffer, req, ec);
    if (ec) break;
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    parse_target(r.target, &r.path, &r.query);
    r.content_type = std::string(req[http::field::content_type]);
    r.accept = std::string(req[http::field::accept]);
    r.user_agent = std::string(req[http::field::user_agent]);
    r.body = req.body();
    r.identity = identity;
    const Response answer = handler(r);
    http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
    res.set(http::field::server, "kuphost-apiserver");
    res.set(http::field::content_type, answer.body == "ok" ? "text/plain; charset=utf-8" : "application/json");
    res.set("Audit-Id", "kuphost");
    res.keep_alive(req.keep_alive());
    res.body() = answer.body;
    res.prepare_payload();
    http::write(stream, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  stream.shutdown(ec);
}

void serve(tcp::socket socket, const std::shared_ptr<Shared> &shared) {
  const int fd = socket.native_handle();
  {
    ssl::stream<tcp::socket> stream(std::move(socket), shared->ctx);
    converse(stream, shared->handler);
    // Forgotten before the stream closes it: stop() must never cut a reused fd.
    std::lock_guard lock(shared->mutex);
    shared->open_fds.erase(fd);
  }
  std::lock_guard lock(shared->mutex);
  --shared->threads;
  shared->finished.notify_all();
}

}  // namespace

struct TlsServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  tcp::acceptor acceptor{shared->io};
  int listen_fd = -1;
};

TlsServer::TlsServer(const TlsFiles &files, int port, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared->handler = std::move(handler);
  auto &ctx = impl_->shared->ctx;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  ctx.use_certificate_chain_file(files.cert.string());
  ctx.use_private_key_file(files.key.string(), ssl::context::pem);
  ctx.load_verify_file(files.ca.string());
  // Ask for a client certificate but let the handshake finish whatever it
  // is: identity_of() reads the verification result and the router answers
  // 401, as kube-apiserver does for credentials it does not accept.
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_verify_callback([](bool, ssl::verify_context &) { return true; });
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->listen_fd = impl_->acceptor.native_handle();
}

TlsServer::~TlsServer() { stop(); }

int TlsServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void TlsServer::run() {
  const std::shared_ptr<Shared> &shared = impl_->shared;
  for (;;) {
    beast::error_code ec;
    tcp::socket socket(shared->io);
    impl_->acceptor.accept(socket, ec);
    std::lock_guard lock(shared->mutex);
    if (shared->stopping) return;  // a connection accepted meanwhile is closed with `socket`
    if (ec) continue;
    shared->open_fds.insert(socket.native_handle());
    ++shared->threads;
    std::thread(serve, std::move(socket), shared).detach();
  }
}

void TlsServer::stop() {
  Shared &shared = *impl_->shared;
  std::unique_lock lock(shared.mutex);
  if (!shared.stopping) {
    shared.stopping = true;
    // Shutting the listening socket down refuses new connections at once and
    // wakes the accept() that run() is blocked in (Linux answers EINVAL).
    ::shutdown(impl_->listen_fd, SHUT_RDWR);
    for (const int fd : shared.open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  shared.finished.wait_for(lock, kStopGrace, [&shared] { return shared.threads == 0; });
}

}  // namespace kuphost::sandbox::apiserver
