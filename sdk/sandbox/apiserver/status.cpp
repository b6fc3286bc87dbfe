#include "status.h"

#include "json_writer.h"

namespace kuphost::sandbox::apiserver {
namespace {

using sim::Json;

Json status_object(const std::string &status) {
  Json j = Json::object();
  j.set("kind", "Status");
  j.set("apiVersion", "v1");
  j.set("metadata", Json::object());
  j.set("status", status);
  return j;
}

Json details(const ResourceRef &ref, const std::string &name) {
  Json d = Json::object();
  d.set("name", name);
  if (!ref.group.empty()) d.set("group", ref.group);
  d.set("kind", ref.resource);
  return d;
}

Response failure(int code, const std::string &reason, const std::string &message, Json detail) {
  Json j = status_object("Failure");
  j.set("message", message);
  j.set("reason", reason);
  if (!detail.is_null()) j.set("details", std::move(detail));
  j.set("code", code);
  return {code, j.dump_compact_sorted()};
}

}  // namespace

Response status_error(int code, const std::string &reason, const std::string &message) {
  return failure(code, reason, message, nullptr);
}

Response not_found(const ResourceRef &ref, const std::string &name) {
  return failure(404, "NotFound", ref.qualified() + " \"" + name + "\" not found", details(ref, name));
}

Response already_exists(const ResourceRef &ref, const std::string &name) {
  return failure(409, "AlreadyExists", ref.qualified() + " \"" + name + "\" already exists", details(ref, name));
}

Response conflict(const ResourceRef &ref, const std::string &name) {
  return failure(409, "Conflict",
                 "Operation cannot be fulfilled on " + ref.qualified() + " \"" + name +
                     "\": the object has been modified; please apply your changes to the latest version and try again",
                 details(ref, name));
}

Response invalid(const ResourceRef &ref, const std::string &name, const std::string &why) {
  return failure(422, "Invalid", ref.kind + " \"" + name + "\" is invalid: " + why, details(ref, name));
}

Response bad_request(const std::string &message) { return failure(400, "BadRequest", message, nullptr); }

Response status_success(int code, const ResourceRef &ref, const std::string &name) {
  Json j = status_object("Success");
  j.set("details", details(ref, name));
  j.set("code", code);
  return {code, j.dump_compact_sorted()};
}

}  // namespace kuphost::sandbox::apiserver
