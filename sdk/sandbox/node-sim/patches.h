// kubeadm's --patches DIR for static Pod manifests: files named
// target[suffix][+patchtype].{yaml,json}, applied in name order. Strategic
// patches merge lists of named items (containers, volumes) by name; merge
// patches follow RFC 7386. JSON (RFC 6902) patches are not simulated.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace kuphost::sandbox::sim {

// Returns `manifest` with `target`'s patches applied and prints kubeadm's
// "[patches] Applied patch ..." lines. Throws std::runtime_error with
// kubeadm's wording when the directory or a patch cannot be used.
std::string apply_patches(const std::filesystem::path &dir, const std::string &display_dir, const std::string &target,
                          const std::string &manifest, std::ostream &out);

}  // namespace kuphost::sandbox::sim
