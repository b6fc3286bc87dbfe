#include "apiserver_supervisor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fs_util.h"
#include "kubelet_watch.h"
#include "sandbox_file.h"

namespace kuphost::sandbox::apiserver {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kPollInterval = 200ms;

struct NodeListener {
  std::string name;
  int port = 0;
  fs::path root;
  KubeletWatch kubelet;
  // What it was started with: the manifest's content and its ctime, which a
  // move out and back between two polls changes too.
  std::string started_manifest, started_ctime;
  std::unique_ptr<TlsServer> server;  // null while down
  std::thread accepting;              // server->run()
  std::string last_problem;           // logged once, not every poll

  fs::path manifest() const { return root / "etc/kubernetes/manifests/kube-apiserver.yaml"; }
  fs::path pki() const { return root / "etc/kubernetes/pki"; }
};

std::string ctime_of(const fs::path &file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return std::to_string(st.st_ctim.tv_sec) + "." + std::to_string(st.st_ctim.tv_nsec);
}

void log_line(const NodeListener &n, const std::string &text) {
  std::cerr << ("kuphost-apiserver: kube-apiserver on " + n.name + ": " + text + "\n") << std::flush;
}

}  // namespace

struct ApiserverSupervisor::Impl {
  fs::path sandbox;
  Handler handler;
  std::vector<NodeListener> nodes;
  std::mutex mutex;
  std::condition_variable wake;
  bool quitting = false;
  std::thread poller;

  void poll_until_quitting() {
    for (;;) {
      {
        std::unique_lock lock(mutex);
        if (wake.wait_for(lock, kPollInterval, [this] { return quitting; })) return;
      }
      reconcile_all();
    }
  }

  void reconcile_all() {
    for (auto &n : nodes) {
      try {
        reconcile(n);
      } catch (const std::exception &e) {
        problem(n, e.what());
      }
    }
  }

  void reconcile(NodeListener &n) {
    if (!n.kubelet.active()) return;
    const auto manifest = detail::read_file_if_exists(n.manifest());
    if (!manifest) {
      stop(n, "kube-apiserver.yaml is gone");
      n.last_problem.clear();
      return;
    }
    const std::string ctime = ctime_of(n.manifest());
    if (n.server && *manifest != n.started_manifest) stop(n, "kube-apiserver.yaml changed");
    if (n.server && ctime != n.started_ctime) stop(n, "kube-apiserver.yaml was moved back or replaced");
    // A sandbox being deleted (the server exits within a second) gets no new listener.
    if (!n.server && fs::exists(detail::sandbox_file_path(sandbox))) start(n, *manifest, ctime);
  }

  void start(NodeListener &n, const std::string &manifest, const std::string &ctime) {
    const TlsFiles files{n.pki() / "ca.crt", n.pki() / "apiserver.crt", n.pki() / "apiserver.key"};
    for (const fs::path &file : {files.cert, files.key, files.ca})
      if (::access(file.c_str(), R_OK) != 0)
        return problem(n, "cannot read " + file.string() + ": " + std::strerror(errno) + "; not serving");
    try {
      n.server = std::make_unique<TlsServer>(files, n.port, handler);
    } catch (const std::exception &e) {
      return problem(n, "cannot serve 127.0.0.1:" + std::to_string(n.port) + " with " + files.cert.string() + ": " +
                            e.what());
    }
    n.started_manifest = manifest;
    n.started_ctime = ctime;
    n.last_problem.clear();
    n.accepting = std::thread([server = n.server.get()] { server->run(); });
    log_line(n, "serving https://127.0.0.1:" + std::to_string(n.port) + " with " + files.cert.string());
  }

  void stop(NodeListener &n, const char *why) {
    if (!n.server) return;
    n.server->stop();
    n.accepting.join();
    n.server.reset();
    log_line(n, std::string("stopped: ") + why);
  }

  void problem(NodeListener &n, const std::string &what) {
    if (what == n.last_problem) return;
    n.last_problem = what;
    log_line(n, what);
  }
};

ApiserverSupervisor::ApiserverSupervisor(const fs::path &sandbox_dir, Handler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->sandbox = sandbox_dir;
  impl_->handler = std::move(handler);
  for (const auto &n : detail::read_sandbox_file(sandbox_dir).nodes) {
    if (n.apiserver_port <= 0) continue;
    NodeListener listener;
    listener.name = n.name;
    listener.port = n.apiserver_port;
    listener.root = sandbox_dir / "nodes" / n.name / "root";
    listener.kubelet = KubeletWatch(listener.root);
    impl_->nodes.push_back(std::move(listener));
  }
  if (impl_->nodes.empty()) return;
  impl_->reconcile_all();
  impl_->poller = std::thread([impl = impl_.get()] { impl->poll_until_quitting(); });
}

ApiserverSupervisor::~ApiserverSupervisor() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->quitting = true;
  }
  impl_->wake.notify_all();
  if (impl_->poller.joinable()) impl_->poller.join();
  for (auto &n : impl_->nodes) impl_->stop(n, "kuphost-apiserver is exiting");
}

}  // namespace kuphost::sandbox::apiserver
