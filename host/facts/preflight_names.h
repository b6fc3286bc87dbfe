// The check names of the built-in kubeadm plugin's preflight phase
// (plugins/kubeadm/preflight_checks.h), so that a wrong name in
// --ignore-preflight-errors is bad input, refused before anything runs.
// tests/kubeadm/skew_policy_test.cpp keeps this list equal to the plugin's.
#pragma once

#include <array>
#include <string_view>

namespace kuphost {

inline constexpr std::array<std::string_view, 15> kKubeadmPreflightCheckNames{
    "IsPrivilegedUser", "KubeadmInstalled", "AdminConf",      "Swap",          "FreeDiskSpace",
    "APIServerReachable", "NodesReady",     "ControlPlanePodsRunning", "MajorVersion", "SkippedMinor",
    "MinorDowngrade",   "PreRelease",       "KubeadmVersion", "KubeletSkew",   "ControlPlaneFirst"};

}  // namespace kuphost
