// Small TCP helpers on 127.0.0.1 for starting the sandbox API server.
#pragma once

namespace kuphost::sandbox::detail {

// A port the kernel considers free right now (bind to port 0, then close).
// Throws std::runtime_error.
int pick_free_port();

// Whether `port` could be bound right now.
bool port_is_free(int port);

// Whether something accepts TCP connections on 127.0.0.1:port.
bool accepts_connections(int port);

}  // namespace kuphost::sandbox::detail
