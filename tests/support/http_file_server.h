// A loopback HTTP server for tests: serves the files under a directory on
// 127.0.0.1 (GET only, HTTP/1.0-style, one connection at a time, 404 for
// anything missing or outside the directory), on a thread that lives as long
// as the object. Stands in for raw.githubusercontent.com and the like, so a
// node's real curl downloads without leaving this machine.
#pragma once

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kuphost::test {

class HttpFileServer {
 public:
  explicit HttpFileServer(std::filesystem::path root);
  ~HttpFileServer();
  HttpFileServer(const HttpFileServer &) = delete;
  HttpFileServer &operator=(const HttpFileServer &) = delete;

  // "http://127.0.0.1:PORT"
  std::string url() const;
  int port() const { return port_; }
  // The request paths served so far ("/release-v3.30.3/manifests/calico.yaml").
  std::vector<std::string> requests() const;

 private:
  void serve();
  void answer(int client);

  std::filesystem::path root_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace kuphost::test
