#include "typed_yaml.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <vector>

namespace kuphost::sandbox::detail {
namespace {

bool json_literal(const std::string &v) {
  static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
  return v == "true" || v == "false" || v == "null" || std::regex_match(v, number);
}

void quote(std::string &out, const std::string &s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void write_json(std::string &out, const YAML::Node &node, bool sorted) {
  if (!node || node.IsNull()) {
    out += "null";
  } else if (node.IsScalar()) {
    if (is_string_scalar(node)) quote(out, node.Scalar());
    else out += node.Scalar();
  } else if (node.IsSequence()) {
    out += '[';
    bool first = true;
    for (const auto &item : node) {
      if (!first) out += ',';
      first = false;
      write_json(out, item, sorted);
    }
    out += ']';
  } else {
    // Nodes are never swapped around (their operator= writes through): an
    // index is sorted instead.
    std::vector<std::pair<std::string, YAML::Node>> members;
    for (const auto &kv : node) members.emplace_back(kv.first.Scalar(), kv.second);
    std::vector<size_t> order(members.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (sorted) std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return members[a].first < members[b].first; });
    out += '{';
    bool first = true;
    for (const size_t i : order) {
      if (!first) out += ',';
      first = false;
      quote(out, members[i].first);
      out += ':';
      write_json(out, members[i].second, sorted);
    }
    out += '}';
  }
}

void write_yaml(YAML::Emitter &out, const YAML::Node &node) {
  if (!node || node.IsNull()) {
    out << YAML::Null;
  } else if (node.IsScalar()) {
    if (is_string_scalar(node) && json_literal(node.Scalar())) out << YAML::DoubleQuoted << node.Scalar();
    else if (is_string_scalar(node) && node.Scalar().empty()) out << YAML::DoubleQuoted << "";
    else out << node.Scalar();
  } else if (node.IsSequence()) {
    out << YAML::BeginSeq;
    for (const auto &item : node) write_yaml(out, item);
    out << YAML::EndSeq;
  } else {
    out << YAML::BeginMap;
    for (const auto &kv : node) {
      out << YAML::Key;
      if (json_literal(kv.first.Scalar())) out << YAML::DoubleQuoted;
      out << kv.first.Scalar() << YAML::Value;
      write_yaml(out, kv.second);
    }
    out << YAML::EndMap;
  }
}

}  // namespace

bool is_string_scalar(const YAML::Node &scalar) {
  return scalar.Tag() == "!" || scalar.Tag() == "tag:yaml.org,2002:str" || !json_literal(scalar.Scalar());
}

std::string to_json(const YAML::Node &node, bool sorted) {
  std::string out;
  write_json(out, node, sorted);
  return out;
}

std::string emit_typed_yaml(const YAML::Node &node) {
  YAML::Emitter out;
  write_yaml(out, node);
  return std::string(out.c_str()) + "\n";
}

bool same_tree(const YAML::Node &a, const YAML::Node &b) { return to_json(a, true) == to_json(b, true); }

YAML::Node merge_patch(const YAML::Node &target, const YAML::Node &patch) {
  if (!patch.IsMap()) return YAML::Clone(patch);
  YAML::Node result(YAML::NodeType::Map);
  if (target && target.IsMap())
    for (const auto &kv : target) {
      const std::string key = kv.first.Scalar();
      const YAML::Node change = patch[key];
      if (!change) result[key] = YAML::Clone(kv.second);
      else if (!change.IsNull()) result[key] = merge_patch(kv.second, change);
    }
  for (const auto &kv : patch) {
    const std::string key = kv.first.Scalar();
    const YAML::Node &view = result;
    if (!view[key] && !kv.second.IsNull()) result[key] = merge_patch(YAML::Node(), kv.second);
  }
  return result;
}

YAML::Node without_keys(const YAML::Node &node, std::initializer_list<std::string> keys) {
  if (!node || !node.IsMap()) return YAML::Clone(node);
  YAML::Node copy(YAML::NodeType::Map);
  for (const auto &kv : node)
    if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end()) copy[kv.first.Scalar()] = YAML::Clone(kv.second);
  return copy;
}

YAML::Node string_node(const std::string &value) {
  YAML::Node node(value);
  node.SetTag("!");
  return node;
}

}  // namespace kuphost::sandbox::detail
