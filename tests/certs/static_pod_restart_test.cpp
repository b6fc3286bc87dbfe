// The static-pod restart (manifests moved aside and back under a temporary
// node root, a simulated kubelet and clock) and the served-serial probe
// against a real TLS server on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <thread>

#include "kubeadm_test_pki.h"
#include "renewal/pki_renewal.h"
#include "restart/served_certificate.h"
#include "restart/sigpipe_blocked.h"
#include "restart/static_pod_restart.h"
#include "test_support.h"

namespace kuphost::test::certs {
namespace {

namespace kc = kuphost_plugins::certs;
namespace fs = std::filesystem;

// One TLS listener on 127.0.0.1 presenting cert/key, handshakes only.
class TlsListener {
 public:
  TlsListener(const fs::path &cert, const fs::path &key) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(ctx_, cert.c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a);
    ::listen(fd_, 8);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      // A client that closes first must not end the test binary.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        SSL *ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, c);
        if (SSL_accept(ssl) == 1) SSL_shutdown(ssl);
        SSL_free(ssl);
        ::close(c);
      }
    });
  }
  ~TlsListener() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    SSL_CTX_free(ctx_);
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  SSL_CTX *ctx_ = nullptr;
  int fd_ = -1, port_ = 0;
  std::thread thread_;
};

TEST(ServedCertificateTest, ReadsTheSerialARealTlsServerPresents) {
  TempDir tmp;
  TestPkiLayout layout;
  layout.leaf_not_after = static_cast<int64_t>(std::time(nullptr)) + 86400 * 30;
  layout.ca_not_after = layout.leaf_not_after + 86400 * 3650;
  write_test_pki(tmp.path(), layout);
  const auto pki = tmp.path() / "etc/kubernetes/pki";
  TlsListener server(pki / "apiserver.crt", pki / "apiserver.key");
  std::string why;
  const auto served = kc::served_serial_hex(server.endpoint(), 2000, &why);
  ASSERT_TRUE(served) << why;
  EXPECT_EQ(*served, kc::certificate_serial_hex(read_file(pki / "apiserver.crt")));
  // Nothing listening: refused, with the reason.
  const int port = [] {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }();
  EXPECT_FALSE(kc::served_serial_hex("127.0.0.1:" + std::to_string(port), 1000, &why));
  EXPECT_NE(why.find("refused"), std::string::npos) << why;
}

// The probe's guard: a SIGPIPE raised inside it (as OpenSSL's write to a
// closed socket does) neither ends the process nor stays pending, and the
// thread's signal mask comes back as it was.
TEST(ServedCertificateTest, ASigpipeInsideTheProbeIsSwallowed) {
  sigset_t before, after, pending;
  pthread_sigmask(SIG_SETMASK, nullptr, &before);
  {
    const kc::SigpipeBlocked guard;
    ASSERT_EQ(::raise(SIGPIPE), 0);
  }
  pthread_sigmask(SIG_SETMASK, nullptr, &after);
  EXPECT_EQ(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(StaticPodRestartTest, ComponentsFollowTheCertificatesTheyRead) {
  EXPECT_EQ(kc::components_to_restart({"admin.conf", "super-admin.conf", "etcd-healthcheck-client"}).size(), 0u);
  EXPECT_EQ(kc::components_to_restart({"scheduler.conf", "front-proxy-client", "etcd-peer"}),
            (std::vector<std::string>{"etcd", "kube-apiserver", "kube-scheduler"}));
}

// A node root with manifests, a kubelet that stops a pod 3 s (simulated)
// after its manifest leaves and starts it 2 s after it returns, serving the
// serial of the certificate on disk at start.
class RestartFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char *c : {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"})
      write_file(tmp_ / (std::string("etc/kubernetes/manifests/") + c + ".yaml"), std::string("kind: Pod # ") + c);
    env_.move = [this](const std::string &from, const std::string &to) {
      fs::create_directories((tmp_ / to.substr(1)).parent_path());
      fs::rename(tmp_ / from.substr(1), tmp_ / to.substr(1));
      moves_.push_back(from + " -> " + to);
    };
    env_.exists = [this](const std::string &p) { return fs::exists(tmp_ / p.substr(1)); };
    env_.sleep = [this](int64_t ms) { tick(ms); };
    env_.monotonic_ms = [this] { return now_; };
    env_.progress = [this](const std::string &line) { log_ += line + "\n"; };
    env_.served_apiserver_serial = [this](std::string *why) -> std::optional<std::string> {
      if (!running_) {
        *why = "connection refused";
        return std::nullopt;
      }
      return serving_;
    };
  }
  void tick(int64_t ms) {
    now_ += ms;
    const bool present = fs::exists(tmp_ / "etc/kubernetes/manifests/kube-apiserver.yaml");
    if (present != was_present_) changed_at_ = now_, was_present_ = present;
    if (!present && running_ && kubelet_running_ && now_ - changed_at_ >= 3000) running_ = false;
    if (present && !running_ && kubelet_running_ && now_ - changed_at_ >= 2000) running_ = true, serving_ = next_serial_;
  }

  TempDir tmp_;
  kc::RestartEnv env_;
  kc::RestartTimings timings_{1000, 10000, 10000, 250};
  int64_t now_ = 0, changed_at_ = 0;
  bool running_ = true, was_present_ = true, kubelet_running_ = true;
  std::string serving_ = "01", next_serial_ = "02", log_;
  std::vector<std::string> moves_;
};

TEST_F(RestartFixture, WaitsForTheStopThenForTheNewSerial) {
  kc::restart_static_pods({"kube-apiserver", "kube-scheduler"}, "/etc/kubernetes/tmp/aside", "02", env_, timings_);
  EXPECT_EQ(moves_.size(), 4u);
  EXPECT_TRUE(fs::exists(tmp_ / "etc/kubernetes/manifests/kube-apiserver.yaml"));
  EXPECT_TRUE(fs::exists(tmp_ / "etc/kubernetes/manifests/kube-scheduler.yaml"));
  EXPECT_EQ(serving_, "02");
  EXPECT_NE(log_.find("serves the renewed certificate (serial 02)"), std::string::npos) << log_;
}

TEST_F(RestartFixture, AKubeletThatNeverStopsThePodFailsWithTheManifestsBackInPlace) {
  kubelet_running_ = false;
  try {
    kc::restart_static_pods({"etcd", "kube-apiserver"}, "/etc/kubernetes/tmp/aside", "02", env_, timings_);
    FAIL() << "no error";
  } catch (const kc::RestartError &e) {
    EXPECT_NE(std::string(e.what()).find("is the kubelet running?"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(tmp_ / "etc/kubernetes/manifests/kube-apiserver.yaml"));
  EXPECT_TRUE(fs::exists(tmp_ / "etc/kubernetes/manifests/etcd.yaml"));
}

TEST_F(RestartFixture, AnApiServerStillServingTheOldSerialIsAnError) {
  next_serial_ = "01";  // came back with the old certificate
  try {
    kc::restart_static_pods({"kube-apiserver"}, "/etc/kubernetes/tmp/aside", "02", env_, timings_);
    FAIL() << "no error";
  } catch (const kc::RestartError &e) {
    EXPECT_NE(std::string(e.what()).find("serves serial 01, not the renewed 02"), std::string::npos) << e.what();
  }
}

TEST_F(RestartFixture, ManifestsLeftAsideByAKilledRunGoBack) {
  env_.move("/etc/kubernetes/manifests/etcd.yaml", "/etc/kubernetes/tmp/aside/etcd.yaml");
  const auto restored = kc::return_manifests({"etcd", "kube-apiserver"}, "/etc/kubernetes/tmp/aside", env_);
  EXPECT_EQ(restored, (std::vector<std::string>{"/etc/kubernetes/manifests/etcd.yaml"}));
  EXPECT_EQ(read_file(tmp_ / "etc/kubernetes/manifests/etcd.yaml"), "kind: Pod # etcd");
}

}  // namespace
}  // namespace kuphost::test::certs
