// A port of client-go's util/jsonpath/parser.go, quirks included, so that
// templates kubectl rejects fail here with the same message and templates it
// accepts parse to the same tree: `['a.b']` is two fields, a union splits on
// every comma, a filter's operator is whatever run of !<>= follows the left
// side. Runes outside ASCII count as letters (client-go asks unicode.IsLetter).
#include <algorithm>
#include <string_view>

#include "go_format.h"
#include "go_strconv.h"
#include "jsonpath_nodes.h"

namespace kuphost::sandbox::sim::jsonpath {
namespace {

constexpr char32_t kEof = 0xffffffff;  // Go's eof rune, -1

bool is_digit(char32_t r) { return r >= '0' && r <= '9'; }
bool is_alphanumeric(char32_t r) {
  return r == '_' || is_digit(r) || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && r != kEof);
}
bool is_end_of_line(char32_t r) { return r == '\r' || r == '\n'; }
// Where a field or identifier ends.
bool is_terminator(char32_t r) {
  switch (r) {
    case ' ': case '\t': case '\r': case '\n': case kEof:
    case '.': case ',': case '[': case ']': case '$': case '@': case '{': case '}':
      return true;
    default:
      return false;
  }
}

Node make(Node::Kind kind, std::string text = {}) {
  Node node;
  node.kind = kind;
  node.text = std::move(text);
  return node;
}

class Parser {
 public:
  explicit Parser(std::string input) : input_(std::move(input)) {}

  Node parse() {
    Node root = make(Node::Kind::kList);
    parse_text(root);
    return root;
  }

 private:
  // parseText, parseLeftDelim and parseRightDelim: text up to each '{', then the action.
  void parse_text(Node &root) {
    while (true) {
      if (at("{")) {
        if (pos_ > start_) root.children.push_back(make(Node::Kind::kText, consume_text()));
        pos_ += 1;
        consume_text();
        root.children.push_back(make(Node::Kind::kList));
        parse_inside_action(root.children.back());
        continue;
      }
      if (next() == kEof) break;
    }
    if (pos_ > start_) root.children.push_back(make(Node::Kind::kText, consume_text()));
  }

  // Steps of one action until its closing '}'.
  void parse_inside_action(Node &list) {
    while (true) {
      if (at("}")) {
        pos_ += 1;
        consume_text();
        return;
      }
      if (at("[?(")) {
        parse_filter(list);
        continue;
      }
      if (at("..")) {
        parse_recursive(list);
        continue;
      }
      const char32_t r = next();
      if (r == kEof || is_end_of_line(r)) throw ParseError("unclosed action");
      if (r == ' ' || r == '@' || r == '$') {  // '@' and '$' are the current object: nothing to do
        consume_text();
      } else if (r == '[') {
        parse_array(list);
      } else if (r == '"' || r == '\'') {
        parse_quote(list, r);
      } else if (r == '.') {
        parse_field(list);
      } else if (r == '+' || r == '-' || is_digit(r)) {
        backup();
        parse_number(list);
      } else if (is_alphanumeric(r)) {
        backup();
        parse_identifier(list);
      } else {
        throw ParseError("unrecognized character in action: " + go_rune_description(r));
      }
    }
  }

  void parse_identifier(Node &list) {
    while (!is_terminator(next())) {
    }
    backup();
    const std::string value = consume_text();
    if (value == "true" || value == "false") {
      Node node = make(Node::Kind::kBool);
      node.boolean = value == "true";
      list.children.push_back(std::move(node));
    } else {
      list.children.push_back(make(Node::Kind::kIdentifier, value));
    }
  }

  void parse_recursive(Node &list) {
    if (!list.children.empty() && list.children.back().kind == Node::Kind::kRecursive)
      throw ParseError("invalid multiple recursive descent");
    pos_ += 2;
    consume_text();
    list.children.push_back(make(Node::Kind::kRecursive));
    if (is_alphanumeric(peek())) parse_field(list);
  }

  void parse_number(Node &list) {
    const char32_t sign = peek();
    if (sign == '+' || sign == '-') next();
    while (true) {
      const char32_t r = next();
      if (r != '.' && !is_digit(r)) {
        backup();
        break;
      }
    }
    const std::string value = consume_text();
    Node node = make(Node::Kind::kInt, value);
    if (go_atoi(value, &node.integer)) {
      list.children.push_back(std::move(node));
      return;
    }
    // strconv.ParseFloat takes the rest (a point, an int too long for Atoi)
    // when it has a digit and at most one point.
    const std::string_view digits = std::string_view(value).substr(value[0] == '+' || value[0] == '-' ? 1 : 0);
    const auto points = static_cast<size_t>(std::count(digits.begin(), digits.end(), '.'));
    if (points <= 1 && digits.size() > points) {
      node.kind = Node::Kind::kFloat;
      list.children.push_back(std::move(node));
      return;
    }
    throw ParseError("cannot parse number " + value);
  }

  void parse_array(Node &list) {
    while (true) {
      const char32_t r = next();
      if (r == kEof || r == '\n') throw ParseError("unterminated array");
      if (r == ']') break;
    }
    std::string text = consume_text();
    text = text.substr(1, text.size() - 2);
    if (text == "*") text = ":";

    if (text.find(',') != std::string::npos) {  // union: [a,b]
      Node union_node = make(Node::Kind::kUnion);
      size_t begin = 0;
      while (true) {
        const size_t comma = text.find(',', begin);
        std::string part = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        const size_t first = part.find_first_not_of(' ');
        part = first == std::string::npos ? "" : part.substr(first, part.find_last_not_of(' ') - first + 1);
        union_node.children.push_back(parse_action("[" + part + "]"));
        if (comma == std::string::npos) break;
        begin = comma + 1;
      }
      list.children.push_back(std::move(union_node));
      return;
    }
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'' &&
        text.find('\'', 1) == text.size() - 1) {  // dict key: ['key'], parsed as .key
      for (auto &node : parse_action("." + text.substr(1, text.size() - 2)).children)
        list.children.push_back(std::move(node));
      return;
    }
    list.children.push_back(slice_node(text));
  }

  // [start:end:step] as ^(-?\d*)(:-?\d*)?(:-?\d*)?$ splits it.
  static Node slice_node(const std::string &text) {
    std::string groups[3];
    size_t i = 0;
    auto take_number = [&](std::string &group) {
      if (i < text.size() && text[i] == '-') group += text[i++];
      while (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) group += text[i++];
    };
    take_number(groups[0]);
    for (int g = 1; g < 3 && i < text.size() && text[i] == ':'; ++g) {
      groups[g] += text[i++];
      take_number(groups[g]);
    }
    if (i != text.size()) throw ParseError("invalid array index " + text);

    Node node = make(Node::Kind::kArray);
    for (int g = 0; g < 3; ++g) {
      SliceBound &bound = node.bounds[static_cast<size_t>(g)];
      if (!groups[g].empty()) {
        const std::string number = g > 0 ? groups[g].substr(1) : groups[g];
        if (g > 0 && number.empty()) continue;  // "[1:]": the end is not given
        bound.known = true;
        if (!go_atoi(number, &bound.value)) throw ParseError("array index " + number + " is not a number");
      } else if (g == 1) {  // a plain [N] ends after N
        bound.known = true;
        bound.value = node.bounds[0].value + 1;
        bound.derived = true;
      }
    }
    return node;
  }

  void parse_filter(Node &list) {
    pos_ += 3;
    consume_text();
    bool begin = false, end = false;
    char32_t pair = 0;
    while (true) {
      const char32_t r = next();
      if (r == kEof || r == '\n') throw ParseError("unterminated filter");
      if (r == '"' || r == '\'') {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (input_[pos_ - 2] != '\\' && r == pair) end = true;
      } else if (r == ')' && begin == end) {
        break;
      }
    }
    if (next() != ']') throw ParseError("unclosed array expect ]");
    std::string text = consume_text();
    text = text.substr(0, text.size() - 2);

    // ^([^!<>=]+)([!<>=]+)(.+?)$: the operator is the whole run of !<>=,
    // less one character when nothing else is left for the right side.
    const size_t op_begin = text.find_first_of("!<>=");
    if (op_begin != std::string::npos && op_begin > 0) {
      size_t op_end = text.find_first_not_of("!<>=", op_begin);
      if (op_end == std::string::npos) op_end = text.size() - 1;
      if (op_end > op_begin) {
        Node filter = make(Node::Kind::kFilter, text.substr(op_begin, op_end - op_begin));
        filter.children.push_back(parse_action(text.substr(0, op_begin)));
        filter.children.push_back(parse_action(text.substr(op_end)));
        list.children.push_back(std::move(filter));
        return;
      }
    }
    Node filter = make(Node::Kind::kFilter, "exists");
    filter.children.push_back(parse_action(text));
    filter.children.push_back(make(Node::Kind::kList));
    list.children.push_back(std::move(filter));
  }

  void parse_quote(Node &list, char32_t end) {
    while (true) {
      const char32_t r = next();
      if (r == kEof || r == '\n') throw ParseError("unterminated quoted string");
      if (r == end && input_[pos_ - 2] != '\\') break;
    }
    const std::string value = consume_text();
    std::string text;
    if (!go_unquote_extended(value, &text)) throw ParseError("unquote string " + value + " error invalid syntax");
    list.children.push_back(make(Node::Kind::kText, std::move(text)));
  }

  void parse_field(Node &list) {
    consume_text();  // the '.'
    while (advance()) {
    }
    const std::string value = consume_text();
    if (value == "*") {
      list.children.push_back(make(Node::Kind::kWildcard));
      return;
    }
    std::string key;  // backslashes only escape terminators: all of them go
    for (char c : value)
      if (c != '\\') key += c;
    list.children.push_back(make(Node::Kind::kField, std::move(key)));
  }

  // Scans up to the next unescaped terminator.
  bool advance() {
    const char32_t r = next();
    if (r == '\\') {
      next();
    } else if (is_terminator(r)) {
      backup();
      return false;
    }
    return true;
  }

  // client-go's parseAction: the text parsed as the one action "{text}".
  static Node parse_action(const std::string &text) {
    Node root = Parser("{" + text + "}").parse();
    return std::move(root.children.front());
  }

  bool at(std::string_view prefix) const { return std::string_view(input_).substr(pos_).starts_with(prefix); }

  std::string consume_text() {
    std::string value = input_.substr(start_, pos_ - start_);
    start_ = pos_;
    return value;
  }

  char32_t next() {
    if (pos_ >= input_.size()) {
      width_ = 0;
      return kEof;
    }
    const char32_t rune = go_decode_rune(std::string_view(input_).substr(pos_), &width_);
    pos_ += width_;
    return rune;
  }

  char32_t peek() {
    const char32_t r = next();
    backup();
    return r;
  }

  void backup() { pos_ -= width_; }

  std::string input_;
  size_t pos_ = 0, start_ = 0, width_ = 0;
};

}  // namespace

Node parse_template(const std::string &text) { return Parser(text).parse(); }

}  // namespace kuphost::sandbox::sim::jsonpath
