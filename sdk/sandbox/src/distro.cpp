#include "distro.h"

#include <array>

namespace kuphost::sandbox::detail {
namespace {

constexpr std::array kDistros{
    DistroInfo{"ubuntu-24.04", "debian", "linux", "Ubuntu 24.04.1 LTS", "6.8.0-45-generic",
               R"os(PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
)os"},
    // Debian itself has no ID_LIKE line.
    DistroInfo{"debian-12", "debian", "linux", "Debian GNU/Linux 12 (bookworm)", "6.1.0-25-amd64",
               R"os(PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
)os"},
    DistroInfo{"rhel-9", "rhel", "linux", "Red Hat Enterprise Linux 9.4 (Plow)", "5.14.0-427.37.1.el9_4.x86_64",
               R"os(NAME="Red Hat Enterprise Linux"
VERSION="9.4 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
BUG_REPORT_URL="https://issues.redhat.com/"
REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"
REDHAT_BUGZILLA_PRODUCT_VERSION=9.4
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
)os"},
    // Windows has no os-release; kuphost reads this stand-in on sandbox nodes.
    DistroInfo{"windows-2022", "windows", "windows", "Windows Server 2022 Datacenter", "10.0.20348.2700",
               R"os(NAME="Windows Server"
VERSION="2022 (21H2)"
ID=windows
VERSION_ID=2022
PRETTY_NAME="Windows Server 2022 Datacenter"
)os"},
};

}  // namespace

const DistroInfo *find_distro(std::string_view name) {
  for (const auto &d : kDistros)
    if (name == d.name) return &d;
  return nullptr;
}

std::string node_distro(std::string_view sandbox_distro, std::string_view role) {
  if (sandbox_distro == "windows-2022" && role != "worker") return "ubuntu-24.04";
  return std::string(sandbox_distro);
}

}  // namespace kuphost::sandbox::detail
