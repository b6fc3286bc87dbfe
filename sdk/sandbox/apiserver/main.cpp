// kuphost-apiserver: the sandbox's simulated Kubernetes API server.
//   kuphost-apiserver --sandbox DIR [--port N] [--ready-fd FD | --port-file F]
// Serves DIR/cluster/cluster.yaml over HTTPS on 127.0.0.1 to the real
// kubectl. Usually started by `kuphost sandbox up` (or by kuphost itself for
// --sandbox runs), which passes --ready-fd and waits for the port on it.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "apiserver_pki.h"
#include "apiserver_supervisor.h"
#include "etcd_supervisor.h"
#include "fs_util.h"
#include "handlers.h"
#include "router.h"
#include "server_logs.h"
#include "tls_server.h"

namespace {

namespace fs = std::filesystem;
using namespace kuphost::sandbox;

constexpr int kUsageExit = 2;

struct Args {
  fs::path sandbox;
  int port = 0;
  int ready_fd = -1;
  fs::path port_file;
};

[[noreturn]] void usage(const std::string &why) {
  std::cerr << "kuphost-apiserver: " << why
            << "\nusage: kuphost-apiserver --sandbox DIR [--port N (0 = pick)] [--ready-fd FD | --port-file FILE]\n";
  std::exit(kUsageExit);
}

int to_int(const std::string &flag, const std::string &value) {
  try {
    size_t used = 0;
    const int n = std::stoi(value, &used);
    if (used == value.size() && n >= 0) return n;
  } catch (const std::exception &) {
  }
  usage("invalid " + flag + " '" + value + "': expected a number");
}

Args parse(int argc, char **argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--sandbox") a.sandbox = fs::absolute(value).lexically_normal();
    else if (flag == "--port") a.port = to_int(flag, value);
    else if (flag == "--ready-fd") a.ready_fd = to_int(flag, value);
    else if (flag == "--port-file") a.port_file = value;
    else usage("unknown option " + flag);
  }
  if (a.sandbox.empty()) usage("--sandbox DIR is required");
  if (a.port > 65535) usage("--port must be 0-65535");
  return a;
}

// A server nobody stops (auto-started for a test's sandbox) ends with its
// sandbox directory.
void exit_when_sandbox_is_gone(fs::path sandbox_yaml) {
  std::thread([sandbox_yaml] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      std::error_code ec;
      if (!fs::exists(sandbox_yaml, ec)) {
        std::cerr << "kuphost-apiserver: " << sandbox_yaml.string() << " is gone; exiting\n";
        apiserver::stop_all_etcd_members();
        std::_Exit(0);
      }
    }
  }).detach();
}

// The etcd members are our children: stop and reap them before going.
void on_term(int) {
  apiserver::stop_all_etcd_members();
  ::_exit(0);
}

}  // namespace

int main(int argc, char **argv) {
  const Args args = parse(argc, argv);
  try {
    if (!fs::exists(args.sandbox / "cluster/cluster.yaml"))
      usage(args.sandbox.string() + " is not a sandbox (no cluster/cluster.yaml)");
    const fs::path pki = detail::apiserver_pki_dir(args.sandbox);
    if (!fs::exists(pki / "apiserver.crt")) {
      std::cerr << "kuphost-apiserver: " << (pki / "apiserver.crt").string()
                << " is missing; recreate the sandbox with this version of kuphost\n";
      return 1;
    }
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGTERM, on_term);
    ::signal(SIGINT, on_term);
    apiserver::ServerLogs logs(args.sandbox);
    apiserver::ApiContext ctx{args.sandbox, 0, &logs};
    const apiserver::Handler handle = [&ctx](const apiserver::Request &req) {
      apiserver::Response res = apiserver::route_request(ctx, req);
      ctx.logs->request(req, res.status);
      return res;
    };
    apiserver::TlsServer server({pki / "ca.crt", pki / "apiserver.crt", pki / "apiserver.key"}, args.port, handle);
    ctx.port = server.port();
    // Before the ready signal: `sandbox up` returns with the control planes'
    // own API servers listening.
    const apiserver::ApiserverSupervisor node_apiservers(args.sandbox, handle);
    std::cerr << "kuphost-apiserver: serving " << args.sandbox.string() << " on https://127.0.0.1:" << ctx.port
              << " (pid " << ::getpid() << ")" << std::endl;
    const std::string ready = std::to_string(ctx.port) + "\n";
    if (!args.port_file.empty()) detail::write_file_atomic(args.port_file, ready, 0644);
    if (args.ready_fd >= 0) {
      (void)!::write(args.ready_fd, ready.data(), ready.size());
      ::close(args.ready_fd);
    }
    exit_when_sandbox_is_gone(args.sandbox / "sandbox.yaml");
    apiserver::start_etcd_supervisor(args.sandbox);
    server.run();
  } catch (const std::exception &e) {
    std::cerr << "kuphost-apiserver: " << e.what() << std::endl;
    return 1;
  }
}
