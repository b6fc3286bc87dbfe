//===- windows-node/local_binaries.h - binaries downloaded beforehand -----===//
//
// Air-gapped nodes: windows-node.binaries-from names a directory on the
// admin machine holding kubeadm.exe, kubelet.exe, kube-proxy.exe and their
// .sha256 files (flat, as downloaded from dl.k8s.io). They are checked here
// with OpenSSL before they are copied, and again on the node after the copy.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_LOCAL_BINARIES_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_LOCAL_BINARIES_H

#include <string>

namespace kuphost_plugins::windows_node {

// Lower-case hex SHA-256 of a file (a real path); throws kup::Error.
std::string sha256_of_file(const std::string &path);
// The digest a .sha256 file holds: its first word, lower-cased; "" if none.
std::string digest_in_checksum_file(const std::string &text);
// Case-insensitive, as PowerShell's -eq compares Get-FileHash's upper case.
bool same_digest(const std::string &a, const std::string &b);

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_LOCAL_BINARIES_H
