// One HTTP request as the handlers see it, and their answer.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kuphost::sandbox::apiserver {

// Who sent a request: the client certificate's subject, verified against
// the cluster CA (kube-apiserver's x509 authenticator: CN = user, O = groups).
struct Identity {
  bool authenticated = false;
  std::string user = "system:anonymous";
  std::vector<std::string> groups;
};

struct Request {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string target;  // path and query as sent, for the audit log
  std::string path;    // without the query
  std::map<std::string, std::string> query;  // percent-decoded
  std::string content_type, accept, user_agent, body;
  Identity identity;
};

struct Response {
  int status = 200;
  std::string body;  // JSON
};

}  // namespace kuphost::sandbox::apiserver
