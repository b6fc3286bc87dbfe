// kubectl's JSONPath evaluator (kuphost-node-sim's jsonpath.h) against
// client-go's semantics: output, missing keys, ranges, filters and the
// engine's error messages.
#include <yaml-cpp/yaml.h>

#include <gtest/gtest.h>

#include "go_format.h"
#include "jsonpath.h"

namespace kuphost::sandbox::sim {
namespace {

// Test data written as YAML (JSON is YAML): quoted scalars stay strings,
// plain ones become integers, booleans or null when they read as such.
Json json_of(const YAML::Node &node) {
  if (node.IsMap()) {
    Json object = Json::object();
    for (const auto &member : node) object.set(member.first.as<std::string>(), json_of(member.second));
    return object;
  }
  if (node.IsSequence()) {
    Json array = Json::array();
    for (const auto &element : node) array.push(json_of(element));
    return array;
  }
  if (node.IsNull()) return Json();
  const std::string text = node.as<std::string>();
  if (node.Tag() == "!") return Json(text);
  if (text == "true" || text == "false") return Json(text == "true");
  try {
    size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used == text.size()) return Json(static_cast<int64_t>(value));
  } catch (const std::exception &) {
  }
  return Json(text);
}

Json data(const std::string &yaml) { return json_of(YAML::Load(yaml)); }

const Json &node() {
  static const Json kNode = data(R"({
    "kind": "Node",
    "metadata": {"name": "cp1", "labels": {"kubernetes.io/os": "linux", "app": "web", "a": {"b": "nested"}}},
    "spec": {"podCIDR": "10.244.0.0/24", "taints": [{"effect": "NoSchedule", "key": "k"}]},
    "status": {
      "conditions": [
        {"type": "MemoryPressure", "status": "False", "priority": 2},
        {"type": "Ready", "status": "True", "priority": 1, "ready": true}
      ],
      "nodeInfo": {"kubeletVersion": "v1.31.2"},
      "images": [],
      "note": null,
      "html": "<a&b>"
    }
  })");
  return kNode;
}

struct Outcome {
  std::string out, error;
  bool ok = false;
};

Outcome run(const std::string &text, const Json &input = node(), bool allow_missing_keys = true) {
  Outcome outcome;
  const auto path = JsonPath::parse(text, &outcome.error);
  if (!path) return outcome;
  const auto out = path->execute(input, allow_missing_keys, &outcome.error);
  outcome.ok = out.has_value();
  if (out) outcome.out = *out;
  return outcome;
}

std::string out(const std::string &text, const Json &input = node()) {
  const Outcome outcome = run(text, input);
  EXPECT_TRUE(outcome.ok) << text << ": " << outcome.error;
  return outcome.out;
}

std::string parse_error(const std::string &text) {
  std::string error;
  EXPECT_FALSE(JsonPath::parse(text, &error)) << text;
  return error;
}

std::string execution_error(const std::string &text, const Json &input = node(), bool allow_missing_keys = true) {
  const Outcome outcome = run(text, input, allow_missing_keys);
  EXPECT_FALSE(outcome.ok) << text << " printed " << outcome.out;
  return outcome.error;
}

TEST(JsonPath, TextAndFields) {
  EXPECT_EQ(out("plain text, no action"), "plain text, no action");
  EXPECT_EQ(out("{.metadata.name}"), "cp1");
  EXPECT_EQ(out("node {.metadata.name} runs {$.status.nodeInfo.kubeletVersion}."), "node cp1 runs v1.31.2.");
  EXPECT_EQ(out("{@.kind}/{.metadata.name}"), "Node/cp1");
  EXPECT_EQ(out(R"({.metadata.labels.kubernetes\.io/os})"), "linux");
  EXPECT_EQ(out("{.metadata.labels['app']}"), "web");
  EXPECT_EQ(out("{.metadata.name}{\"\\n\"}"), "cp1\n");
  EXPECT_EQ(out("{'single'}{\"\\t\"}{\"{\"}"), "single\t{");
  EXPECT_EQ(out("{.status.note}"), "<nil>");  // fmt prints a JSON null so
}

TEST(JsonPath, MapsAndListsPrintAsCompactJsonWithSortedKeys) {
  EXPECT_EQ(out("{.spec.taints}"), R"([{"effect":"NoSchedule","key":"k"}])");
  EXPECT_EQ(out("{.metadata.labels}"), R"({"a":{"b":"nested"},"app":"web","kubernetes.io/os":"linux"})");
  EXPECT_EQ(out("{.status.images}"), "[]");
  EXPECT_EQ(out("{.status.html} {.status}").substr(0, 7), "<a&b> {");
  EXPECT_NE(out("{.status}").find(R"("html":"\u003ca\u0026b\u003e")"), std::string::npos);  // Go's HTML-safe escapes
}

TEST(JsonPath, MissingKeysPrintNothingUnlessDisallowed) {
  EXPECT_EQ(out("{.spec.unschedulable}"), "");
  EXPECT_EQ(out("[{.nope.deeper}]"), "[]");
  EXPECT_EQ(execution_error("{.spec.unschedulable}", node(), false), "unschedulable is not found");
  EXPECT_EQ(execution_error("{.metadata.labels.nope}", node(), false), "nope is not found");
}

TEST(JsonPath, ArrayIndexesAndSlices) {
  const Json list = data("[0, 1, 2, 3, 4]");
  EXPECT_EQ(out("{[0]}", list), "0");
  EXPECT_EQ(out("{[-1]}", list), "4");
  EXPECT_EQ(out("{[1:3]}", list), "1 2");
  EXPECT_EQ(out("{[-2:]}", list), "3 4");
  EXPECT_EQ(out("{[::2]}", list), "0 2 4");
  EXPECT_EQ(out("{[*]}", list), "0 1 2 3 4");
  EXPECT_EQ(out("{[1,3,4]}", list), "1 3 4");
  EXPECT_EQ(out("{[2:2]}", list), "");
  EXPECT_EQ(out("{.status.images[*]}"), "");
  EXPECT_EQ(execution_error("{[5]}", list), "array index out of bounds: index 5, length 5");
  EXPECT_EQ(execution_error("{[1:9]}", list), "array index out of bounds: index 8, length 5");
  EXPECT_EQ(execution_error("{[3:1]}", list), "starting index 3 is greater than ending index 1");
  EXPECT_EQ(execution_error("{[::0]}", list), "step must be > 0");
  // An index is not a missing key: kubectl fails even with missing keys allowed.
  EXPECT_EQ(execution_error("{.status.images[0]}"), "array index out of bounds: index 0, length 0");
  EXPECT_EQ(execution_error("{.metadata[0]}"), "map[string]interface {} is not array or slice");
}

TEST(JsonPath, Filters) {
  EXPECT_EQ(out(R"({.status.conditions[?(@.type=="Ready")].status})"), "True");
  EXPECT_EQ(out(R"({.status.conditions[?(@.type != 'Ready')].type})"), "MemoryPressure");
  EXPECT_EQ(out("{.status.conditions[?(@.priority<2)].type}"), "Ready");
  EXPECT_EQ(out("{.status.conditions[?(@.priority>=1)].type}"), "MemoryPressure Ready");
  EXPECT_EQ(out("{.status.conditions[?(@.ready==true)].type}"), "Ready");
  EXPECT_EQ(out("{.status.conditions[?(@.ready)].type}"), "Ready");
  EXPECT_EQ(out(R"({.status.conditions[?(@.type=="Nope")].status})"), "");
  EXPECT_EQ(out("{[?(@<3)]}", data("[2, 6, 1, 7]")), "2 1");
  EXPECT_EQ(execution_error(R"({.status.conditions[?(@.priority=="1")]})"), "incompatible types for comparison");
  EXPECT_EQ(execution_error("{.status.conditions[?(@.ready<true)]}"), "invalid type for comparison");
  EXPECT_EQ(execution_error("{.status.conditions[?(@.type=!1)]}"), "unrecognized filter operator =!");
  EXPECT_EQ(execution_error("{.metadata.labels[?(@.a)]}"),
            "map[a:map[b:nested] app:web kubernetes.io/os:linux] is not array or slice and cannot be filtered");
}

TEST(JsonPath, RangesRepeatTheirBodyPerValue) {
  EXPECT_EQ(out(R"({.status.nodeInfo.kubeletVersion} {range .status.conditions[?(@.type=="Ready")]}{.status}{end})"),
            "v1.31.2 True");
  EXPECT_EQ(out(R"({range .status.conditions[*]}{.type}={.status}{"\n"}{end}done)"),
            "MemoryPressure=False\nReady=True\ndone");
  EXPECT_EQ(out("{range .status.images[*]}never{end}after"), "after");
  EXPECT_EQ(out("{range [*]}[{range [*]}{@}{end}]{end}", data("[[1, 2], [], [3]]")), "[12][][3]");
  EXPECT_EQ(execution_error("{end}"), "not in range, nothing to end");
  EXPECT_EQ(execution_error("{.metadata.name}{foo}"), "unrecognized identifier foo");
}

TEST(JsonPath, WildcardsRecursionAndLiterals) {
  EXPECT_EQ(out("{.spec.taints[0].*}"), "NoSchedule k");
  EXPECT_EQ(out("{..kubeletVersion}"), "v1.31.2");
  EXPECT_EQ(out("{..type}"), "MemoryPressure Ready");
  EXPECT_EQ(out("{..}", data("[1, 2, 3]")), "[1,2,3]");
  EXPECT_EQ(out("{1} {true}"), "1 true");
  EXPECT_EQ(out("{}"), node().dump_compact_sorted());  // the whole object
  EXPECT_THROW(run("{1.5}"), UnsimulatedJsonPath);
}

TEST(JsonPath, ClientGoQuirksAreKept) {
  // ['a.b'] is parsed as .a.b, and an existence filter keeps an element whose
  // left side failed part way.
  EXPECT_EQ(out("{.metadata.labels['a.b']}"), "nested");
  EXPECT_EQ(out("{[?(@.list[5])].name}", data(R"([{"name": "x", "list": [1]}, {"name": "y"}])")), "x");
}

TEST(JsonPath, ParseErrorsAreClientGos) {
  EXPECT_EQ(parse_error("{.metadata.name"), "unclosed action");
  EXPECT_EQ(parse_error("{.items[0"), "unterminated array");
  EXPECT_EQ(parse_error("{!}"), "unrecognized character in action: U+0021 '!'");
  EXPECT_EQ(parse_error("{\t}"), "unrecognized character in action: U+0009");
  EXPECT_EQ(parse_error(R"({"open})"), "unterminated quoted string");
  EXPECT_EQ(parse_error(R"({"\q"})"), R"(unquote string "\q" error invalid syntax)");
  EXPECT_EQ(parse_error("{[x]}"), "invalid array index x");
  EXPECT_EQ(parse_error("{[?(@.a==1)}"), "unclosed array expect ]");
  EXPECT_EQ(parse_error("{[?(@.a==1}"), "unterminated filter");
  EXPECT_EQ(parse_error("{.a.....b}"), "invalid multiple recursive descent");
  EXPECT_EQ(parse_error("{1.2.3}"), "cannot parse number 1.2.3");
}

TEST(GoFormat, RendersValuesAsFmtDoes) {
  const Json value = data(R"({"b": [1, "x", null], "a": true, "c": {}})");
  EXPECT_EQ(go_syntax(value), R"(map[string]interface {}{"a":true, "b":[]interface {}{1, "x", interface {}(nil)}, )"
                              R"("c":map[string]interface {}{}})");
  EXPECT_EQ(go_value(value), "map[a:true b:[1 x <nil>] c:map[]]");
  EXPECT_EQ(go_quote("{\"a\"}\n\x01"), R"("{\"a\"}\n\x01")");
  EXPECT_EQ(go_type_name(Json("s")), "string");
}

}  // namespace
}  // namespace kuphost::sandbox::sim
