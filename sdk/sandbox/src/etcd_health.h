// One `GET /health` over mutual TLS to an etcd member on 127.0.0.1, straight
// with OpenSSL: no etcdctl, whose every early try waits out its dial timeout.
#pragma once

#include <filesystem>
#include <string>

namespace kuphost::sandbox::detail {

struct EtcdClientFiles {
  std::filesystem::path ca_cert, cert, key;
};

// True when 127.0.0.1:`port` answers 200 with "health":"true"; otherwise
// *why (optional) says what it answered or why it could not ask.
bool etcd_reports_healthy(int port, const EtcdClientFiles &client, std::string *why = nullptr);

}  // namespace kuphost::sandbox::detail
