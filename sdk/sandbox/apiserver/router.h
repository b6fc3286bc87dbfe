// Maps a request to its handler, after authentication.
#pragma once

#include "api_types.h"
#include "handlers.h"

namespace kuphost::sandbox::apiserver {

// Never throws: handler errors become 500 Status objects.
Response route_request(const ApiContext &ctx, const Request &req);

// Splits "/path?a=b%3Dc" into path and decoded query parameters.
void parse_target(const std::string &target, std::string *path, std::map<std::string, std::string> *query);

}  // namespace kuphost::sandbox::apiserver
