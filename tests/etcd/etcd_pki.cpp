#include "etcd_pki.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "key_pool.h"
#include "pki.h"

namespace kuphost::test::etcd {
namespace {

namespace pki = kuphost::sandbox::detail;

// The CA and four leaves.
constexpr size_t kKeys = 5;

void write_with_mode(const std::filesystem::path &path, const std::string &text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  // open's mode is filtered by the umask; the key files must be 0600 exactly.
  const bool moded = ::fchmod(fd, mode) == 0;
  ::close(fd);
  if (!written || !moded) throw std::runtime_error("cannot write " + path.string());
}

void write_pair(const std::filesystem::path &dir, const std::string &base, const pki::KeyPair &pair) {
  write_with_mode(dir / (base + ".crt"), pki::cert_pem(*pair.cert), 0644);
  write_with_mode(dir / (base + ".key"), pki::key_pem(*pair.key), 0600);
}

pki::CertSpec client_spec(const std::string &common_name) {
  pki::CertSpec spec;
  spec.common_name = common_name;
  spec.organizations = {"system:masters"};
  spec.ext_usage = pki::kClientAuth;
  return spec;
}

}  // namespace

EtcdPki EtcdPki::create(const std::filesystem::path &pki_dir, const std::string &node_name) {
  std::filesystem::create_directories(pki_dir / "etcd");
  pki::KeyPool keys(pki::KeyType::kRsa2048, kKeys);
  const pki::KeyPair ca = pki::make_ca("etcd-ca", keys.take());
  write_pair(pki_dir, "etcd/ca", ca);

  pki::CertSpec member;  // kubeadm: CN = node name for server and peer
  member.common_name = node_name;
  member.dns_names = {node_name, "localhost"};
  member.ip_addresses = {"127.0.0.1", "::1"};
  member.ext_usage = pki::kServerAuth | pki::kClientAuth;
  write_pair(pki_dir, "etcd/server", pki::issue(member, ca, keys.take()));
  write_pair(pki_dir, "etcd/peer", pki::issue(member, ca, keys.take()));
  write_pair(pki_dir, "etcd/healthcheck-client",
             pki::issue(client_spec("kube-etcd-healthcheck-client"), ca, keys.take()));
  write_pair(pki_dir, "apiserver-etcd-client", pki::issue(client_spec("kube-apiserver-etcd-client"), ca, keys.take()));
  return EtcdPki(pki_dir, node_name);
}

}  // namespace kuphost::test::etcd
