// Shared helpers for the sandbox tests: temporary directories, sandboxes made
// with fast ECDSA keys, the simulator run as a child process, and OpenSSL
// inspection of the generated PKI.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kuphost/sandbox/sandbox.h"

namespace kuphost::sandbox::testing {

namespace fs = std::filesystem;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const fs::path &path() const { return path_; }

 private:
  fs::path path_;
};

fs::path node_sim_path();

// A spec for DIR with the test defaults: ecdsa keys, the built simulator.
Spec test_spec(const fs::path &dir, const std::string &nodes = "cp1:first-control-plane,w1:worker");

// Creates the sandbox or fails the current test; returns it loaded.
Sandbox make_sandbox(const Spec &spec);

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs argv (argv[0] a path) with posix_spawn and pipes; no shell.
// `stdin_data` is fed to the child's stdin, then closed.
RunResult run(const std::vector<std::string> &argv, const std::string &stdin_data = "");

// Runs a node's usr/bin/<command> (through its symlink) with `args`.
RunResult run_on(const Node &node, const std::string &command, const std::vector<std::string> &args,
                 const std::string &stdin_data = "");

std::string read_text(const fs::path &path);
void write_text(const fs::path &path, const std::string &text);
mode_t mode_of(const fs::path &path);  // permission bits, not following symlinks

// OpenSSL views of the generated files.
struct X509Free { void operator()(X509 *x) const { X509_free(x); } };
struct PkeyFree { void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); } };
using CertPtr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

CertPtr load_cert_pem(const std::string &pem);
PkeyPtr load_key_pem(const std::string &pem);
CertPtr load_cert_file(const fs::path &path);
PkeyPtr load_key_file(const fs::path &path);

std::string common_name(const X509 &cert);
std::vector<std::string> organizations(const X509 &cert);
std::vector<std::string> dns_sans(const X509 &cert);
std::vector<std::string> ip_sans(const X509 &cert);
std::vector<std::string> ext_key_usages(const X509 &cert);  // "serverAuth", "clientAuth"
bool is_ca(const X509 &cert);
uint32_t key_usage(const X509 &cert);  // X509_get_key_usage bits
double days_valid(const X509 &cert);   // notAfter - now, in days
// X509_verify_cert of `leaf` against the single trusted `ca`.
bool verifies(const X509 &leaf, const X509 &ca, std::string *error = nullptr);

std::string base64_decode(const std::string &text);

}  // namespace kuphost::sandbox::testing
