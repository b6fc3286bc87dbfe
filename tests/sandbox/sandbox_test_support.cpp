#include "sandbox_test_support.h"

#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

extern char **environ;

namespace kuphost::sandbox::testing {
namespace {

struct BioFree { void operator()(BIO *b) const { BIO_free_all(b); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr bio_of(const std::string &text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Owns a pipe; each end is closed once.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  void close_end(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
};

}  // namespace

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/kuphost-sandbox-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  // A sandbox's API server and etcd members (they exit once sandbox.yaml is
  // gone) may still write for a moment.
  for (int attempt = 0; attempt < 5 && fs::exists(path_); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    fs::remove_all(path_, ignored);
  }
}

fs::path node_sim_path() { return KUPHOST_NODE_SIM_PATH; }

Spec test_spec(const fs::path &dir, const std::string &nodes) {
  Spec spec;
  spec.dir = dir;
  std::string error;
  auto parsed = parse_node_list(nodes, &error);
  if (!parsed) throw std::runtime_error(error);
  spec.nodes = *parsed;
  spec.node_sim = node_sim_path();
  spec.key_type = "ecdsa-p256";
  return spec;
}

Sandbox make_sandbox(const Spec &spec) {
  std::string error;
  if (!create(spec, &error)) throw std::runtime_error("create failed: " + error);
  auto loaded = load(spec.dir, &error);
  if (!loaded) throw std::runtime_error("load failed: " + error);
  return *loaded;
}

RunResult run(const std::vector<std::string> &argv, const std::string &stdin_data) {
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  std::vector<char *> args;
  for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + " failed: " + std::strerror(rc));
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (!stdin_data.empty() && ::write(in.fds[1], stdin_data.data(), stdin_data.size()) < 0) {
    // The child may exit without reading; its exit code tells the story.
  }
  in.close_end(1);

  RunResult result;
  pollfd fds[2] = {{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}};
  std::string *sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

RunResult run_on(const Node &node, const std::string &command, const std::vector<std::string> &args,
                 const std::string &stdin_data) {
  std::vector<std::string> argv{(node.root / "usr/bin" / command).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, stdin_data);
}

std::string read_text(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << text;
}

mode_t mode_of(const fs::path &path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path.string());
  return st.st_mode & 07777;
}

CertPtr load_cert_pem(const std::string &pem) {
  auto bio = bio_of(pem);
  return CertPtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr load_key_pem(const std::string &pem) {
  auto bio = bio_of(pem);
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

CertPtr load_cert_file(const fs::path &path) { return load_cert_pem(read_text(path)); }
PkeyPtr load_key_file(const fs::path &path) { return load_key_pem(read_text(path)); }

std::string common_name(const X509 &cert) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(&cert), NID_commonName, buf, sizeof buf);
  return buf;
}

std::vector<std::string> organizations(const X509 &cert) {
  std::vector<std::string> out;
  const X509_NAME *name = X509_get_subject_name(&cert);
  for (int i = X509_NAME_get_index_by_NID(name, NID_organizationName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, NID_organizationName, i)) {
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    out.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
  }
  return out;
}

namespace {
std::vector<std::string> sans_of(const X509 &cert, int type) {
  std::vector<std::string> out;
  auto *names = static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type != type) continue;
    if (type == GEN_DNS) {
      out.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(gn->d.dNSName)),
                       ASN1_STRING_length(gn->d.dNSName));
    } else {
      char text[INET6_ADDRSTRLEN] = {};
      const int family = ASN1_STRING_length(gn->d.iPAddress) == 4 ? AF_INET : AF_INET6;
      inet_ntop(family, ASN1_STRING_get0_data(gn->d.iPAddress), text, sizeof text);
      out.emplace_back(text);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}
}  // namespace

std::vector<std::string> dns_sans(const X509 &cert) { return sans_of(cert, GEN_DNS); }
std::vector<std::string> ip_sans(const X509 &cert) { return sans_of(cert, GEN_IPADD); }

std::vector<std::string> ext_key_usages(const X509 &cert) {
  std::vector<std::string> out;
  const uint32_t bits = X509_get_extended_key_usage(const_cast<X509 *>(&cert));
  if (!(X509_get_extension_flags(const_cast<X509 *>(&cert)) & EXFLAG_XKUSAGE)) return out;
  if (bits & XKU_SSL_SERVER) out.emplace_back("serverAuth");
  if (bits & XKU_SSL_CLIENT) out.emplace_back("clientAuth");
  return out;
}

bool is_ca(const X509 &cert) { return X509_check_ca(const_cast<X509 *>(&cert)) == 1; }

uint32_t key_usage(const X509 &cert) { return X509_get_key_usage(const_cast<X509 *>(&cert)); }

double days_valid(const X509 &cert) {
  int days = 0, seconds = 0;
  ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(&cert));
  return days + seconds / 86400.0;
}

bool verifies(const X509 &leaf, const X509 &ca, std::string *error) {
  X509_STORE *store = X509_STORE_new();
  X509_STORE_add_cert(store, const_cast<X509 *>(&ca));
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, const_cast<X509 *>(&leaf), nullptr);
  const bool ok = X509_verify_cert(ctx) == 1;
  if (!ok && error) *error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

std::string base64_decode(const std::string &text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && padding < 2; ++it) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace kuphost::sandbox::testing
