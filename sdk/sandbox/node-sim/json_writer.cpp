#include "json_writer.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace kuphost::sandbox::sim {
namespace {

void write_string(std::string &out, const std::string &s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      // Go escapes these for HTML safety.
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
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

void newline(std::string &out, int indent, int depth) {
  out += '\n';
  out.append(static_cast<size_t>(indent * depth), ' ');
}

}  // namespace

Json &Json::set(std::string key, Json value) {
  auto *object = std::get_if<Object>(&value_);
  if (!object) throw std::logic_error("Json::set on a non-object");
  for (auto &[k, v] : *object)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  object->emplace_back(std::move(key), std::move(value));
  return *this;
}

Json &Json::push(Json value) {
  auto *array = std::get_if<Array>(&value_);
  if (!array) throw std::logic_error("Json::push on a non-array");
  array->push_back(std::move(value));
  return *this;
}

std::string Json::dump(int indent) const {
  std::string out;
  write(out, indent, 0);
  return out;
}

std::string Json::dump_compact_sorted() const {
  std::string out;
  write_compact_sorted(out);
  return out;
}

const Json *Json::find(std::string_view key) const {
  if (const Object *object = as_object())
    for (const auto &[k, v] : *object)
      if (k == key) return &v;
  return nullptr;
}

void Json::write_compact_sorted(std::string &out) const {
  if (const Array *a = as_array()) {
    out += '[';
    for (size_t n = 0; n < a->size(); ++n) {
      if (n) out += ',';
      (*a)[n].write_compact_sorted(out);
    }
    out += ']';
  } else if (const Object *o = as_object()) {
    // Go marshals a map with its keys in byte order, whatever order they came in.
    std::vector<const std::pair<std::string, Json> *> members;
    for (const auto &member : *o) members.push_back(&member);
    std::sort(members.begin(), members.end(), [](auto *a, auto *b) { return a->first < b->first; });
    out += '{';
    for (size_t n = 0; n < members.size(); ++n) {
      if (n) out += ',';
      write_string(out, members[n]->first);
      out += ':';
      members[n]->second.write_compact_sorted(out);
    }
    out += '}';
  } else {
    write(out, 0, 0);  // scalars print the same either way
  }
}

void Json::write(std::string &out, int indent, int depth) const {
  if (std::holds_alternative<std::nullptr_t>(value_)) {
    out += "null";
  } else if (const bool *b = std::get_if<bool>(&value_)) {
    out += *b ? "true" : "false";
  } else if (const int64_t *i = std::get_if<int64_t>(&value_)) {
    out += std::to_string(*i);
  } else if (const std::string *s = std::get_if<std::string>(&value_)) {
    write_string(out, *s);
  } else if (const Array *a = std::get_if<Array>(&value_)) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += '[';
    for (size_t n = 0; n < a->size(); ++n) {
      newline(out, indent, depth + 1);
      (*a)[n].write(out, indent, depth + 1);
      if (n + 1 < a->size()) out += ',';
    }
    newline(out, indent, depth);
    out += ']';
  } else {
    const Object &o = std::get<Object>(value_);
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    for (size_t n = 0; n < o.size(); ++n) {
      newline(out, indent, depth + 1);
      write_string(out, o[n].first);
      out += ": ";
      o[n].second.write(out, indent, depth + 1);
      if (n + 1 < o.size()) out += ',';
    }
    newline(out, indent, depth);
    out += '}';
  }
}

}  // namespace kuphost::sandbox::sim
