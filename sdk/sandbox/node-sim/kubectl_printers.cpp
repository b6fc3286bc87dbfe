#include "kubectl_printers.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <ostream>

#include "go_format.h"
#include "jsonpath.h"
#include "kubectl.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

// kubectl get's formats, as its "unable to match a printer" error lists them.
constexpr const char *kAllowedFormats =
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,"
    "name,template,templatefile,wide,yaml";

bool is_known_unsimulated_format(const std::string &format) {
  static const std::vector<std::string> kFormats{"custom-columns",   "custom-columns-file", "go-template",
                                                 "go-template-file", "template",            "templatefile",
                                                 "jsonpath-as-json", "jsonpath-file"};
  const std::string name = format.substr(0, format.find('='));
  return std::find(kFormats.begin(), kFormats.end(), name) != kFormats.end();
}

// "node/cp1": the lower-cased kind and the name, as -o name prints a core object.
std::string resource_name(const Json &object) {
  std::string kind = object.find("kind") && object.find("kind")->as_string() ? *object.find("kind")->as_string() : "";
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
  const Json *metadata = object.find("metadata");
  const Json *name = metadata ? metadata->find("name") : nullptr;
  return kind + "/" + (name && name->as_string() ? *name->as_string() : "");
}

void print_names(Invocation &inv, const Json &object) {
  const Json *items = object.find("items");
  if (items && items->as_array()) {
    for (const Json &item : *items->as_array()) inv.out << resource_name(item) << "\n";
  } else {
    inv.out << resource_name(object) << "\n";
  }
}

// kubectl's JSONPathPrinter: parse errors name the template; execution
// errors add the template and the whole object, as Go's %#v shows it.
int print_jsonpath(Invocation &inv, const ParsedFlags &flags, const std::string &text, const Json &object) {
  if (text.empty()) return kubectl_fail(inv, "template format specified but no template given");
  std::string error;
  const auto path = JsonPath::parse(text, &error);
  if (!path) return kubectl_fail(inv, "error parsing jsonpath " + text + ", " + error);
  const auto allow_missing_keys = flags.get_bool("allow-missing-template-keys", true, &error);
  if (!allow_missing_keys) return kubectl_fail(inv, error);
  std::optional<std::string> out;
  try {
    out = path->execute(object, *allow_missing_keys, &error);
  } catch (const UnsimulatedJsonPath &e) {
    return kubectl_fail(inv, e.what());
  }
  if (!out) {
    inv.err << "error: error executing jsonpath " << go_quote(text) << ": Error executing template: " << error
            << ". Printing more information for debugging the template:\n"
            << "\ttemplate was:\n\t\t" << text << "\n"
            << "\tobject given to jsonpath engine was:\n\t\t" << go_syntax(object) << "\n\n";
    return 1;
  }
  inv.out << *out;  // no newline: kubectl prints exactly what the template makes
  return 0;
}

// The template when the printer is jsonpath: --template's with -o jsonpath,
// else what follows "jsonpath=" in -o (possibly nothing).
std::optional<std::string> jsonpath_template(const std::string &output, const std::string &template_flag) {
  constexpr std::string_view kPrefix = "jsonpath=";
  if (!template_flag.empty()) return output == "jsonpath" ? std::optional(template_flag) : std::nullopt;
  if (output == "jsonpath") return "";
  if (output.rfind(kPrefix, 0) == 0) return output.substr(kPrefix.size());
  return std::nullopt;
}

}  // namespace

std::vector<FlagSpec> kubectl_printer_flags() {
  return {{"output", 'o', true}, {"template", 0, true}, {"allow-missing-template-keys"}};
}

bool prints_table(const ParsedFlags &flags) {
  const std::string output = flags.get("output");
  return (output.empty() && flags.get("template").empty()) || output == "wide";
}

int print_generic(Invocation &inv, const ParsedFlags &flags, const Json &object) {
  const std::string output = flags.get("output");
  const std::string template_flag = flags.get("template");
  if (output == "json" || output == "yaml") {
    if (output == "json")
      inv.out << object.dump(4) << "\n";
    else  // JSON is YAML: let yaml-cpp re-emit it in block style.
      inv.out << detail::emit_yaml(YAML::Load(object.dump(2)));
    return 0;
  }
  if (output == "name") {
    print_names(inv, object);
    return 0;
  }
  if (const auto text = jsonpath_template(output, template_flag)) return print_jsonpath(inv, flags, *text, object);
  if (output.empty() || is_known_unsimulated_format(output))  // --template alone means go-template
    return kubectl_fail(inv, "the kuphost sandbox's kubectl does not simulate -o " +
                                 (output.empty() ? std::string("go-template") : output.substr(0, output.find('='))) +
                                 " (it prints json, yaml, name, wide and jsonpath)");
  return kubectl_fail(inv, "unable to match a printer suitable for the output format \"" + output +
                               "\", allowed formats are: " + kAllowedFormats);
}

}  // namespace kuphost::sandbox::sim
