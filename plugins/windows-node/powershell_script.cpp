#include "powershell_script.h"

#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>

namespace kuphost_plugins::windows_node {
namespace {

void append_utf16le(std::string &out, uint32_t unit) {
  out += static_cast<char>(unit & 0xff);
  out += static_cast<char>((unit >> 8) & 0xff);
}

// UTF-8 to UTF-16LE; a malformed byte becomes U+FFFD rather than being
// dropped, so the node sees that something was wrong.
std::string utf16le(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() * 2);
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const size_t extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xe ? 2 : (b >> 3) == 0x1e ? 3 : 9;
    uint32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1f) : extra == 2 ? (b & 0x0f) : (b & 0x07);
    bool ok = extra != 9;
    for (size_t k = 1; ok && k <= extra; ++k) {
      if (i + k >= utf8.size()) ok = false;
      else if ((static_cast<unsigned char>(utf8[i + k]) & 0xc0) != 0x80) ok = false;
      else cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    }
    if (!ok) {
      append_utf16le(out, 0xfffd);
      ++i;
      continue;
    }
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_utf16le(out, 0xd800 + (cp >> 10));
      append_utf16le(out, 0xdc00 + (cp & 0x3ff));
    } else {
      append_utf16le(out, cp);
    }
  }
  return out;
}

}  // namespace

std::string ps_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string encode_command(std::string_view script) {
  const std::string bytes = utf16le(script);
  std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(b64.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
  b64.resize(static_cast<size_t>(n));
  return b64;
}

PsScript::PsScript(std::string_view step) {
  lines_.push_back("# kuphost step: " + std::string(step));
  lines_.push_back("$ErrorActionPreference = 'Stop'");
  lines_.push_back("$ProgressPreference = 'SilentlyContinue'");
}

PsScript &PsScript::add(std::string statement) {
  if (!pending_if_.empty()) {
    if (statement.rfind("if (", 0) == 0 || !guard_.empty())
      throw std::logic_error("nested if in generated PowerShell");
    statement = "if (" + pending_if_ + ") { " + statement + " }";
    pending_if_.clear();
  } else if (!guard_.empty() && statement.rfind("if (", 0) != 0) {
    // An `if` cannot nest: checks stay unguarded, and the callers make them
    // hold when the guarded statements did not run.
    statement = "if ($" + guard_ + ") { " + statement + " }";
  }
  lines_.push_back(std::move(statement));
  return *this;
}

PsScript &PsScript::comment(std::string_view text) {
  lines_.push_back("# " + std::string(text));
  return *this;
}
PsScript &PsScript::set(std::string_view var, std::string_view literal) {
  return add("$" + std::string(var) + " = " + ps_quote(literal));
}
PsScript &PsScript::file_hash(std::string_view var, std::string_view path) {
  return add("$" + std::string(var) + " = (Get-FileHash -Algorithm SHA256 -LiteralPath " + ps_quote(path) + ").Hash");
}
PsScript &PsScript::read_trimmed(std::string_view var, std::string_view path) {
  return add("$" + std::string(var) + " = (Get-Content -Raw -LiteralPath " + ps_quote(path) + ").Trim()");
}
PsScript &PsScript::service_exists(std::string_view var, std::string_view service) {
  return add("$" + std::string(var) + " = [bool](Get-Service -Name " + std::string(service) +
             " -ErrorAction SilentlyContinue)");
}
PsScript &PsScript::output(std::string_view literal) { return add("Write-Output " + ps_quote(literal)); }
PsScript &PsScript::output_var(std::string_view var) { return add("Write-Output $" + std::string(var)); }
PsScript &PsScript::make_dir(std::string_view path) {
  return add("New-Item -ItemType Directory -Force -Path " + ps_quote(path) + " | Out-Null");
}
PsScript &PsScript::copy(std::string_view from, std::string_view to) {
  return add("Copy-Item -Force -LiteralPath " + ps_quote(from) + " -Destination " + ps_quote(to));
}
PsScript &PsScript::remove(std::string_view path) {
  return add("Remove-Item -Force -Recurse -LiteralPath " + ps_quote(path));
}
PsScript &PsScript::download(std::string_view path, std::string_view url, std::string_view what) {
  add("curl.exe -fsSL --retry 3 -o " + ps_quote(path) + " " + ps_quote(url));
  return add("if ($LASTEXITCODE -ne 0) { throw " + ps_quote(what) + " }");
}
PsScript &PsScript::native(std::string_view exe, std::string_view args, std::string_view what) {
  add("& " + ps_quote(exe) + (args.empty() ? "" : " ") + std::string(args));
  return add("if ($LASTEXITCODE -ne 0) { throw " + ps_quote(what) + " }");
}
PsScript &PsScript::stop_service(std::string_view service) { return add("Stop-Service -Name " + std::string(service)); }
PsScript &PsScript::start_service(std::string_view service) {
  return add("Start-Service -Name " + std::string(service));
}
PsScript &PsScript::throw_if_differ(std::string_view var_a, std::string_view var_b, std::string_view message) {
  return add("if ($" + std::string(var_a) + " -ne $" + std::string(var_b) + ") { throw " + ps_quote(message) + " }");
}
PsScript &PsScript::if_exists(std::string_view path) {
  pending_if_ = "Test-Path -LiteralPath " + ps_quote(path);
  return *this;
}
PsScript &PsScript::guard(std::string_view var) {
  guard_ = std::string(var);
  return *this;
}

PsScript &PsScript::append(const PsScript &other) {
  lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
  return *this;
}

std::string PsScript::text() const {
  std::string out;
  for (const auto &line : lines_) out += line + "\n";
  return out;
}

}  // namespace kuphost_plugins::windows_node
