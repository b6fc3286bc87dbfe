// A Windows node's file system inside its sandbox root: C:\k\kubelet.exe is
// <root>/C/k/kubelet.exe. The drive letter is upper-cased and `\` and `/`
// both separate; names stay case-sensitive (a documented difference from
// Windows). scp's "/C:/k/x" form is accepted too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "invocation.h"

namespace kuphost::sandbox::sim {

// nullopt + *error for a relative path or one with `..`.
std::optional<fs::path> windows_host_path(const fs::path &root, std::string_view windows_path, std::string *error);

// The file (or a directory holding it) is a running service's executable:
// C:\k\kubelet.exe while the kubelet service runs, likewise kube-proxy.exe.
// Windows refuses to replace, move or delete it.
bool windows_file_in_use(const Invocation &inv, const fs::path &host);

}  // namespace kuphost::sandbox::sim
