// Small string helpers shared by the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kuphost {

std::vector<std::string> split(std::string_view text, char sep, bool skip_empty = true);
std::string join(const std::vector<std::string> &parts, std::string_view sep);
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
// Quotes an argv for display the way a shell user would type it back.
std::string quote_argv(const std::vector<std::string> &argv);
// Last non-empty line, for one-line error reports of command output.
std::string last_line(std::string_view text);

}  // namespace kuphost
