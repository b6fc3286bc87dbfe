// curl on a Linux node: this machine's real /usr/bin/curl, limited to the
// loopback (a test serves a release over http://127.0.0.1:PORT). Any other
// host fails as curl does when DNS has no answer: rc 6, `Could not resolve
// host`. Output files (-o, --output, --create-dirs targets) are node paths.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <set>

#include "exec_tool.h"
#include "commands.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr int kCouldNotResolveHost = 6;
const char *kRealCurl = "/usr/bin/curl";

// curl flags that take the next argument as their value.
const std::set<std::string> kValueFlags{"-o", "--output", "-H", "--header", "-m", "--max-time", "--connect-timeout",
                                        "-d", "--data", "--data-binary", "-u", "--user", "-X", "--request", "-w",
                                        "--write-out", "-A", "--user-agent", "--retry", "--retry-delay", "-e",
                                        "--referer", "--cacert", "-T", "--upload-file", "--output-dir"};
const std::set<std::string> kPathFlags{"-o", "--output", "--cacert", "-T", "--upload-file", "--output-dir"};

// The host of a URL argument ("https://example.com:443/x" -> "example.com").
std::string host_of(const std::string &url) {
  std::string rest = url;
  if (const auto scheme = rest.find("://"); scheme != std::string::npos) rest = rest.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (rest.starts_with("[")) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

bool loopback(const std::string &host) { return host == "127.0.0.1" || host == "localhost" || host == "[::1]"; }

}  // namespace

int run_curl(Invocation &inv) {
  std::vector<std::string> args{"curl"};
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &a = inv.args[i];
    if (a == "-K" || a == "--config" || a.starts_with("--config=")) {
      inv.err << "curl (kuphost sandbox): --config is not simulated\n";
      return 2;
    }
    if (kValueFlags.contains(a) && i + 1 < inv.args.size()) {
      args.push_back(a);
      const std::string &value = inv.args[++i];
      args.push_back(kPathFlags.contains(a) && value.starts_with("/") ? inv.host_path(value).string() : value);
      continue;
    }
    if (!a.starts_with("-") && !loopback(host_of(a))) {
      inv.err << "curl: (6) Could not resolve host: " << host_of(a) << "\n";
      return kCouldNotResolveHost;
    }
    args.push_back(a);
  }
  return exec_real_tool(inv, "curl (kuphost sandbox)", kRealCurl, std::move(args), {},
                        " (install curl; scripts/install-deps.sh does)");
}

}  // namespace kuphost::sandbox::sim
