#include "https_post_stream.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr size_t kErrorBodyLimit = 4096;

class Failure {
 public:
  explicit Failure(std::string endpoint) : endpoint_(std::move(endpoint)) {}
  [[noreturn]] void operator()(const std::string &what) const {
    throw SnapshotError("etcd gateway at " + endpoint_ + ": " + what);
  }
  void check(const beast::error_code &ec, const char *step) const {
    if (ec) (*this)(std::string(step) + ": " + ec.message());
  }

 private:
  std::string endpoint_;
};

// Beast's tcp_stream enforces its timeout only on asynchronous operations,
// so each step is started asynchronously and the io_context run until it
// completes (or the timer closes the socket).
template <class Start>
beast::error_code run_step(asio::io_context &io, TlsStream &stream, std::chrono::milliseconds idle_timeout,
                           Start &&start) {
  beast::error_code result;
  beast::get_lowest_layer(stream).expires_after(idle_timeout);
  start([&result](const beast::error_code &ec, auto &&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

void configure_tls(ssl::context &context, const EtcdClientTls &server, const Failure &fail) {
  beast::error_code ec;
  context.set_verify_mode(ssl::verify_peer, ec);
  fail.check(ec, "TLS setup");
  context.load_verify_file(server.ca_cert.string(), ec);
  fail.check(ec, ("CA certificate " + server.ca_cert.string()).c_str());
  if (!server.client_cert.empty()) {
    context.use_certificate_chain_file(server.client_cert.string(), ec);
    fail.check(ec, ("client certificate " + server.client_cert.string()).c_str());
    context.use_private_key_file(server.client_key.string(), ssl::context::pem, ec);
    fail.check(ec, ("client key " + server.client_key.string()).c_str());
  }
}

// Check the server certificate's SAN against the endpoint: an IP SAN for an
// address (kubeadm's etcd/server carries 127.0.0.1 and ::1), else the name.
void expect_server_identity(TlsStream &stream, const HttpsAddress &address, const Failure &fail) {
  beast::error_code ec;
  asio::ip::make_address(address.host, ec);
  const bool is_ip = !ec;
  X509_VERIFY_PARAM *param = SSL_get0_param(stream.native_handle());
  const int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, address.host.c_str())
                       : X509_VERIFY_PARAM_set1_host(param, address.host.c_str(), 0);
  if (ok != 1) fail("cannot set the expected server name " + address.host);
  if (!is_ip && SSL_set_tlsext_host_name(stream.native_handle(), address.host.c_str()) != 1)
    fail("cannot set SNI " + address.host);
}

std::string body_excerpt(std::string body) {
  if (body.size() > 300) body = body.substr(0, 300) + "...";
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}

}  // namespace

HttpsAddress parse_https_endpoint(const std::string &endpoint) {
  constexpr std::string_view kScheme = "https://";
  const auto bad = [&](const char *why) {
    throw SnapshotError("etcd endpoint " + endpoint + ": " + why + " (expected https://HOST:PORT)");
  };
  if (endpoint.rfind(kScheme, 0) != 0) bad("not an https URL");
  std::string rest = endpoint.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) bad("has a path");
  HttpsAddress address;
  std::string::size_type colon;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) bad("unclosed [");
    address.host = rest.substr(1, close - 1);
    colon = close + 1 < rest.size() && rest[close + 1] == ':' ? close + 1 : std::string::npos;
  } else {
    colon = rest.rfind(':');
    address.host = rest.substr(0, colon);
  }
  if (colon == std::string::npos) bad("no port");
  address.port = rest.substr(colon + 1);
  if (address.host.empty() || address.port.empty() ||
      address.port.find_first_not_of("0123456789") != std::string::npos)
    bad("bad host or port");
  return address;
}

void https_post_stream(const EtcdClientTls &server, const std::string &target, const std::string &json,
                       const std::function<void(std::string_view)> &on_body,
                       std::chrono::milliseconds idle_timeout) {
  const Failure fail(server.endpoint);
  const HttpsAddress address = parse_https_endpoint(server.endpoint);
  asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  configure_tls(context, server, fail);
  TlsStream stream(io, context);
  expect_server_identity(stream, address, fail);

  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto addresses = resolver.resolve(address.host, address.port, ec);
  fail.check(ec, ("cannot resolve " + address.host).c_str());
  fail.check(run_step(io, stream, idle_timeout,
                      [&](auto handler) { beast::get_lowest_layer(stream).async_connect(addresses, handler); }),
             "cannot connect");
  fail.check(run_step(io, stream, idle_timeout,
                      [&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); }),
             "TLS handshake failed");

  http::request<http::string_body> request(http::verb::post, target, 11);
  request.set(http::field::host, address.host + ":" + address.port);
  request.set(http::field::content_type, "application/json");
  request.body() = json;
  request.prepare_payload();
  fail.check(run_step(io, stream, idle_timeout, [&](auto handler) { http::async_write(stream, request, handler); }),
             ("POST " + target).c_str());

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  // A client without a certificate is refused here, after the handshake:
  // TLS 1.3 servers check the client certificate after the client's Finished.
  fail.check(run_step(io, stream, idle_timeout,
                      [&](auto handler) { http::async_read_header(stream, buffer, parser, handler); }),
             ("reading the answer to POST " + target).c_str());

  const bool ok = parser.get().result() == http::status::ok;
  std::string error_body;
  std::array<char, 64 * 1024> chunk;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    ec = run_step(io, stream, idle_timeout, [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
    if (ec == http::error::need_buffer) ec = {};
    fail.check(ec, ("reading the answer to POST " + target).c_str());
    const std::string_view piece(chunk.data(), chunk.size() - parser.get().body().size);
    if (ok) on_body(piece);
    else if (error_body.size() < kErrorBodyLimit) error_body.append(piece);
    if (!ok && error_body.size() >= kErrorBodyLimit) break;
  }
  if (!ok)
    fail("POST " + target + " answered " + std::to_string(parser.get().result_int()) + " " +
         std::string(parser.get().reason()) + ": " + body_excerpt(std::move(error_body)));
  // A clean TLS close is courtesy; the answer is already complete.
  run_step(io, stream, idle_timeout, [&](auto handler) { stream.async_shutdown(handler); });
}

}  // namespace kuphost_plugins::etcd_backup
