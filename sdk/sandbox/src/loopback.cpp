#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace kuphost::sandbox::detail {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket &) = delete;
  Socket &operator=(const Socket &) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

int pick_free_port() {
  Socket s;
  sockaddr_in addr = loopback(0);
  if (::bind(s.fd(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
    throw std::runtime_error(std::string("cannot bind 127.0.0.1:0: ") + std::strerror(errno));
  socklen_t len = sizeof addr;
  if (::getsockname(s.fd(), reinterpret_cast<sockaddr *>(&addr), &len) != 0)
    throw std::runtime_error(std::string("getsockname: ") + std::strerror(errno));
  return ntohs(addr.sin_port);
}

bool port_is_free(int port) {
  Socket s;
  const int one = 1;
  ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as the server binds
  sockaddr_in addr = loopback(port);
  return ::bind(s.fd(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
}

bool accepts_connections(int port) {
  if (port <= 0 || port > 65535) return false;
  Socket s;
  sockaddr_in addr = loopback(port);
  return ::connect(s.fd(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
}

}  // namespace kuphost::sandbox::detail
