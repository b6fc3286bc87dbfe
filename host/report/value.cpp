#include "report/value.h"

#include <yaml-cpp/yaml.h>

namespace kuphost {
namespace {

void emit(YAML::Emitter &out, const Value &value, bool json) {
  std::visit(
      [&](const auto &x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out << YAML::Null;
        } else if constexpr (std::is_same_v<T, bool>) {
          out << YAML::TrueFalseBool << x;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out << x;
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (json) out << YAML::DoubleQuoted;
          out << x;
        } else if constexpr (std::is_same_v<T, Value::List>) {
          out << YAML::BeginSeq;
          for (const auto &item : x) emit(out, item, json);
          out << YAML::EndSeq;
        } else {
          out << YAML::BeginMap;
          for (const auto &[k, v] : x) {
            out << YAML::Key;
            if (json) out << YAML::DoubleQuoted;
            out << k << YAML::Value;
            emit(out, v, json);
          }
          out << YAML::EndMap;
        }
      },
      value.v);
}

}  // namespace

Value Value::strings(const std::vector<std::string> &items) {
  List l;
  for (const auto &s : items) l.emplace_back(s);
  return Value(std::move(l));
}

std::string to_json(const Value &value) {
  YAML::Emitter out;
  out << YAML::Flow;
  // JSON needs "null", "true"/"false" and double quotes; no YAML tags.
  out.SetNullFormat(YAML::LowerNull);
  out.SetBoolFormat(YAML::TrueFalseBool);
  out.SetStringFormat(YAML::DoubleQuoted);
  emit(out, value, true);
  return std::string(out.c_str()) + "\n";
}

std::string to_yaml(const Value &value) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  emit(out, value, false);
  return std::string(out.c_str()) + "\n";
}

}  // namespace kuphost
