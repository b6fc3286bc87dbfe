// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read
// it back, close). Another process may take it before etcd binds it, so the
// fixture retries etcd's start on "address already in use".
#pragma once

#include <cstdint>

namespace kuphost::test::etcd {

uint16_t free_loopback_port();

}  // namespace kuphost::test::etcd
