// Names of the reserved status codes, for messages.
#pragma once

#include <string>

#include <kuphost/kuphost.h>

namespace kuphost {
std::string status_name(kup_status code);
}
