#include "ssh_transport.h"

#include <ostream>
#include <regex>

#include "powershell_session.h"
#include "sandbox_file.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr const char *kSshUsage =
    "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n"
    "           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n"
    "           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n"
    "           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n"
    "           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n"
    "           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n"
    "           destination [command [argument ...]]\n";
constexpr const char *kScpUsage =
    "usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n"
    "           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n"
    "           [-P port] [-S program] [-X sftp_option] source ... target\n";

bool valid_option(const std::string &option) {
  static const std::regex known(
      R"((BatchMode=(yes|no))|(ConnectTimeout=[0-9]+)|(StrictHostKeyChecking=(yes|no|accept-new|off|ask))|(UserKnownHostsFile=.+))",
      std::regex::icase);
  return std::regex_match(option, known);
}

}  // namespace

std::optional<SshCommandLine> parse_ssh_options(Invocation &inv, bool scp) {
  const std::string tool = scp ? "scp" : "ssh";
  const char port_flag = scp ? 'P' : 'p';
  const auto refuse = [&](const std::string &message) -> std::optional<SshCommandLine> {
    if (!message.empty()) inv.err << message << "\n";
    inv.err << (scp ? kScpUsage : kSshUsage);
    return std::nullopt;
  };
  const auto &args = inv.args;
  size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
    const std::string &a = args[i];
    const char flag = a[1];
    const bool takes_value = flag == 'o' || flag == 'i' || flag == port_flag || (!scp && flag == 'l');
    if (!takes_value)
      return refuse(tool + " (kuphost sandbox): option " + a + " is not simulated; kuphost's transport uses -o "
                           "BatchMode=yes, -o ConnectTimeout=N, -i KEY, -" + std::string(1, port_flag) + " PORT" +
                           (scp ? "" : ", -l USER"));
    std::string value = a.size() > 2 ? a.substr(2) : std::string();
    if (value.empty()) {
      if (i + 1 >= args.size()) return refuse(tool + ": option requires an argument -- " + std::string(1, flag));
      value = args[++i];
    }
    if (flag == 'o' && !valid_option(value))
      return refuse(tool + " (kuphost sandbox): -o " + value + " is not simulated (BatchMode, ConnectTimeout, "
                           "StrictHostKeyChecking, UserKnownHostsFile are)");
    if (flag == port_flag && !std::regex_match(value, std::regex("[0-9]{1,5}"))) {
      inv.err << "Bad port '" << value << "'\n";
      return std::nullopt;
    }
    if (flag == 'i' && !fs::exists(value))
      inv.err << "Warning: Identity file " << value << " not accessible: No such file or directory.\n";
  }
  SshCommandLine line;
  line.operands.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  if (line.operands.empty() || (scp && line.operands.size() < 2)) return refuse("");
  return line;
}

std::string host_of(const std::string &destination) {
  const auto at = destination.rfind('@');
  return ps::lower(at == std::string::npos ? destination : destination.substr(at + 1));
}

bool resolves_to_this_node(Invocation &inv, const std::string &host) {
  const auto file = detail::read_sandbox_file(inv.sandbox_dir);
  if (const auto *node = file.find(inv.node_name); node && (ps::lower(node->name) == host || node->address == host))
    return true;
  inv.err << "ssh: Could not resolve hostname " << host << ": Name or service not known\n";
  return false;
}

}  // namespace kuphost::sandbox::sim
