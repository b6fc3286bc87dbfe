// The bits of Go's strconv and unicode/utf8 that client-go's JSONPath parser
// relies on, with Go's edge cases: what they accept decides which templates
// kubectl rejects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kuphost::sandbox::sim {

// strconv.Atoi (64-bit int): optional sign, decimal digits, no overflow.
bool go_atoi(std::string_view text, int64_t *value);

// client-go's UnquoteExtend: strconv.Unquote of a "double" or 'single'
// quoted string with Go's escapes; false on invalid syntax.
bool go_unquote_extended(std::string_view quoted, std::string *out);

// utf8.DecodeRuneInString: the rune at the start of `s` and its width; an
// invalid byte is U+FFFD of width 1. `s` must not be empty.
char32_t go_decode_rune(std::string_view s, size_t *width);

void append_utf8(std::string &out, char32_t rune);

}  // namespace kuphost::sandbox::sim
