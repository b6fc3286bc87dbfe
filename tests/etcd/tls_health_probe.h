// One `GET /health` over mutual TLS, straight with OpenSSL: how the fixture
// knows its etcd is ready. Deliberately independent of the snapshot code
// under test, and no etcdctl (each early try would wait out its 5 s dial
// timeout, test-recipes.md §3).
#pragma once

#include <cstdint>
#include <string>

#include "etcd_pki.h"

namespace kuphost::test::etcd {

// True when etcd at 127.0.0.1:`port` answers 200 with "health":"true".
// `why` (optional) receives the reason when it does not.
bool etcd_reports_healthy(uint16_t port, const std::filesystem::path &ca_cert, const CertAndKey &client,
                          std::string *why = nullptr);

}  // namespace kuphost::test::etcd
