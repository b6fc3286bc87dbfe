#include "tls_health_probe.h"

#include "etcd_health.h"  // the sandbox's probe (sdk/sandbox/src), which waits for its members the same way

namespace kuphost::test::etcd {

bool etcd_reports_healthy(uint16_t port, const std::filesystem::path &ca_cert, const CertAndKey &client,
                          std::string *why) {
  return kuphost::sandbox::detail::etcd_reports_healthy(port, {ca_cert, client.cert, client.key}, why);
}

}  // namespace kuphost::test::etcd
