//===- support/node_status_query.hpp - a Node's kubelet version and Ready --===//
#ifndef KUPHOST_PLUGINS_SUPPORT_NODE_STATUS_QUERY_HPP
#define KUPHOST_PLUGINS_SUPPORT_NODE_STATUS_QUERY_HPP

namespace kuphost_plugins {

// `kubectl get node NAME -o <this>` prints "v1.31.2 True": the kubelet
// version and the Ready condition. kubectl's jsonpath output replaces JSON
// parsing, for which plugins carry no library.
inline constexpr const char *kNodeStatusJsonPath =
    "jsonpath={.status.nodeInfo.kubeletVersion} "
    "{range .status.conditions[?(@.type==\"Ready\")]}{.status}{end}";

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_NODE_STATUS_QUERY_HPP
