// Native commands: curl.exe against the sandbox's dl.k8s.io
// (DIR/cluster/dl.k8s.io) and the release binaries in C:\k run with the
// call operator. They set $LASTEXITCODE and never throw.
#include <ostream>

#include "fs_util.h"
#include "kubeadm.h"
#include "powershell_session.h"
#include "windows_binaries.h"

namespace kuphost::sandbox::sim::ps {
namespace {

// Bare words and single-quoted literals, as PowerShell passes them on.
std::optional<std::vector<std::string>> words(const std::string &text) {
  static const std::regex word(R"(\s*(?:'((?:[^']|'')*)'|([^\s'"`$;|&(){}]+))\s*)");
  std::vector<std::string> out;
  for (auto it = text.begin(); it != text.end();) {
    std::smatch m;
    if (!std::regex_search(it, text.end(), m, word, std::regex_constants::match_continuous)) return std::nullopt;
    out.push_back(m[1].matched ? literal(m, 1) : m[2].str());
    it = m[0].second;
  }
  return out;
}

struct CurlRequest {
  bool fail = false, silent = false, show_error = false, follow = false;
  std::string output, url;
};

// curl.exe -fsSL --retry 3 -o 'P' 'URL'; rc 2 for what the sandbox's curl does not take.
int curl(Session &s, const CurlRequest &r) {
  const auto say = [&](const std::string &message) {
    if (!r.silent || r.show_error) s.inv.err << message << "\n";
  };
  static const std::regex url(R"(https://([^/]+)(/.*)?)");
  std::smatch m;
  if (!std::regex_match(r.url, m, url)) {
    say("curl: (3) URL rejected: Bad hostname");
    return 3;
  }
  if (m[1].str() != "dl.k8s.io") {
    say("curl: (6) Could not resolve host: " + m[1].str());
    return 6;
  }
  std::optional<std::string> body;
  if (!r.follow) {
    // dl.k8s.io redirects every download to cdn.dl.k8s.io.
    body = "<a href=\"https://cdn.dl.k8s.io" + m[2].str() + "\">Found</a>.\n\n";
  } else {
    static const std::regex file(R"(/(?:release/)?(v[0-9][^/]*)/bin/windows/amd64/([^/]+))");
    std::smatch f;
    const std::string path = m[2].str();
    if (std::regex_match(path, f, file) && f[2].str().find("..") == std::string::npos)
      body = detail::read_file_if_exists(detail::dl_k8s_io_dir(s.inv.sandbox_dir) / f[1].str() / "bin/windows/amd64" /
                                         f[2].str());
    if (!body) {
      if (r.fail) {
        say("curl: (22) The requested URL returned error: 404");
        return 22;
      }
      body = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code><Message>The specified key does not "
             "exist.</Message></Error>";
    }
  }
  if (r.output.empty()) {
    s.inv.out << *body;
    return 0;
  }
  const auto target = s.host_path("", r.output);
  if (!target) return 23;
  if (!fs::is_directory(target->parent_path()) || s.in_use(*target)) {
    say("Warning: Failed to open the file " + r.output + ": No such file or directory\ncurl: (23) Failure writing "
        "output to destination");
    return 23;
  }
  detail::write_file(*target, *body, 0755);
  return 0;
}

std::optional<Action> parse_curl(const std::vector<std::string> &args) {
  CurlRequest r;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--retry" && i + 1 < args.size()) {
      ++i;  // 404 and unknown hosts are not transient: nothing is retried
    } else if ((a == "-o" || a == "--output") && i + 1 < args.size()) {
      r.output = args[++i];
    } else if (a.size() > 1 && a[0] == '-' && a[1] != '-') {
      for (char c : a.substr(1)) {
        if (c == 'f') r.fail = true;
        else if (c == 's') r.silent = true;
        else if (c == 'S') r.show_error = true;
        else if (c == 'L') r.follow = true;
        else return std::nullopt;
      }
    } else if (a == "--fail" || a == "--silent" || a == "--show-error" || a == "--location") {
      r.fail |= a == "--fail";
      r.silent |= a == "--silent";
      r.show_error |= a == "--show-error";
      r.follow |= a == "--location";
    } else if (a[0] != '-' && r.url.empty()) {
      r.url = a;
    } else {
      return std::nullopt;
    }
  }
  if (r.url.empty()) return std::nullopt;
  return [r](Session &s) { s.native_exit(curl(s, r)); };
}

// & 'C:\k\X.exe' ARGS: the release binary's own behaviour, at its version.
// nullopt: PowerShell could not run it (no exit code, $LASTEXITCODE unchanged).
std::optional<int> run_binary(Session &s, const std::string &exe, const std::vector<std::string> &args) {
  const auto host = s.host_path("", exe);
  if (!host) return std::nullopt;
  const auto content = detail::read_file_if_exists(*host);
  if (!content) {
    s.error("", "The term '" + exe + "' is not recognized as the name of a cmdlet, function, script file, or operable "
                "program. Check the spelling of the name, or if a path was included, verify that the path is correct "
                "and try again.");
    return std::nullopt;
  }
  const auto version = detail::windows_binary_version(*content);
  const std::string name = lower(host->filename().string());
  if (!version) {
    s.error("", "Program '" + host->filename().string() + "' failed to run: The specified executable is not a valid "
                "application for this OS platform.");
    return std::nullopt;
  }
  if (name == "kubeadm.exe") {
    if (args.size() >= 2 && args[0] == "upgrade" && args[1] == "node")
      return kubeadm_upgrade_node(s.inv, {args.begin() + 2, args.end()}, version);
    if (!args.empty() && args[0] == "version") return kubeadm_version(s.inv, {args.begin() + 1, args.end()}, version);
    if (!args.empty() && args[0] == "--version") return kubeadm_fail(s.inv, "unknown flag: --version");
  } else if ((name == "kubelet.exe" || name == "kube-proxy.exe") && args.size() == 1 && args[0] == "--version") {
    s.inv.out << "Kubernetes " << version->str() << "\n";
    return 0;
  }
  s.inv.err << name << " (kuphost sandbox): only kubeadm.exe `upgrade node` and `version`, and kubelet.exe and "
               "kube-proxy.exe `--version` are simulated\n";
  return 1;
}

}  // namespace

std::optional<Action> parse_native_statement(const std::string &line) {
  static const std::regex call = pattern(R"(&\s*R_LIT(.*))");
  std::smatch m;
  if (matches(line, call, m)) {
    auto args = words(m[2].str());
    if (!args) return std::nullopt;
    return [exe = literal(m, 1), args = *args](Session &s) {
      const auto code = run_binary(s, exe, args);
      s.inv.out.flush();
      if (code) s.native_exit(*code);
    };
  }
  auto args = words(line);
  if (!args || args->empty() || lower(args->front()) != "curl.exe") return std::nullopt;
  return parse_curl(*args);
}

}  // namespace kuphost::sandbox::sim::ps
