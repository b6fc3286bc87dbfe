#include "etcd_health.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <memory>

namespace kuphost::sandbox::detail {
namespace {

using ContextPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free_all)>;

bool fail(std::string *why, const std::string &what) {
  if (why) {
    *why = what;
    if (const unsigned long code = ERR_peek_last_error()) {
      char text[256];
      ERR_error_string_n(code, text, sizeof text);
      *why += std::string(": ") + text;
    }
  }
  ERR_clear_error();
  return false;
}

}  // namespace

bool etcd_reports_healthy(int port, const EtcdClientFiles &client, std::string *why) {
  ContextPtr context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!context) return fail(why, "SSL_CTX_new");
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_file(context.get(), client.ca_cert.c_str()) != 1 ||
      SSL_CTX_use_certificate_chain_file(context.get(), client.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context.get(), client.key.c_str(), SSL_FILETYPE_PEM) != 1)
    return fail(why, "cannot load " + client.ca_cert.string() + " or the client certificate " + client.cert.string());

  BioPtr bio(BIO_new_ssl_connect(context.get()), &BIO_free_all);
  if (!bio) return fail(why, "BIO_new_ssl_connect");
  SSL *ssl = nullptr;
  BIO_get_ssl(bio.get(), &ssl);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  const std::string address = "127.0.0.1:" + std::to_string(port);
  BIO_set_conn_hostname(bio.get(), address.c_str());
  if (BIO_do_connect(bio.get()) != 1) return fail(why, "cannot connect to " + address);
  // etcd accepts before it can answer; never let one probe hang.
  const timeval timeout{1, 0};
  const int fd = static_cast<int>(BIO_get_fd(bio.get(), nullptr));
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (BIO_do_handshake(bio.get()) != 1) return fail(why, "TLS handshake with " + address + " failed");

  const std::string request = "GET /health HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
  if (BIO_write(bio.get(), request.data(), static_cast<int>(request.size())) != static_cast<int>(request.size()))
    return fail(why, "cannot send GET /health");
  std::string answer;
  char buffer[4096];
  for (int n; (n = BIO_read(bio.get(), buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  const bool healthy = answer.rfind("HTTP/1.0 200", 0) == 0 && answer.find("\"health\":\"true\"") != std::string::npos;
  if (!healthy) return fail(why, "GET /health answered: " + (answer.empty() ? std::string("nothing") : answer));
  return true;
}

}  // namespace kuphost::sandbox::detail
