#include "gateway_stream_decoder.h"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

std::string excerpt(std::string_view text) {
  constexpr size_t kMax = 200;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

[[noreturn]] void throw_stream_error(const YAML::Node &error) {
  std::string message = error["message"] ? error["message"].as<std::string>() : "no message";
  const YAML::Node code = error["grpc_code"] ? error["grpc_code"] : error["code"];
  if (code) message += " (gRPC code " + code.as<std::string>() + ")";
  throw SnapshotError("the snapshot stream failed: " + message);
}

}  // namespace

std::string decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) throw SnapshotError("snapshot stream: a blob is not base64 (length " +
                                                std::to_string(text.size()) + " is not a multiple of 4)");
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw SnapshotError("snapshot stream: a blob is not base64");
  // EVP_DecodeBlock decodes the padding as zero bytes; drop them.
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

void GatewayStreamDecoder::feed(std::string_view body) {
  for (;;) {
    const auto newline = body.find('\n');
    if (newline == std::string_view::npos) {
      pending_.append(body);
      return;
    }
    if (pending_.empty()) {
      decode_message(body.substr(0, newline));
    } else {
      pending_.append(body.substr(0, newline));
      std::string line = std::move(pending_);
      pending_.clear();
      decode_message(line);
    }
    body.remove_prefix(newline + 1);
  }
}

void GatewayStreamDecoder::finish() {
  // The last message may lack its newline.
  if (!pending_.empty()) {
    std::string line = std::move(pending_);
    pending_.clear();
    decode_message(line);
  }
  if (bytes_ == 0) throw SnapshotError("the snapshot stream ended without any data");
}

void GatewayStreamDecoder::decode_message(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  YAML::Node message;
  try {
    message = YAML::Load(std::string(line));  // JSON is YAML's flow style
  } catch (const YAML::Exception &e) {
    throw SnapshotError("snapshot stream: a message is not JSON (" + std::string(e.what()) +
                        "): " + excerpt(line));
  }
  if (!message.IsMap()) throw SnapshotError("snapshot stream: a message is not a JSON object: " + excerpt(line));
  if (const YAML::Node error = message["error"]) throw_stream_error(error);
  const YAML::Node result = message["result"];
  if (!result) throw SnapshotError("snapshot stream: a message has neither result nor error: " + excerpt(line));
  ++messages_;
  const YAML::Node blob = result["blob"];
  if (!blob) return;
  const std::string bytes = decode_base64(blob.as<std::string>());
  bytes_ += bytes.size();
  sink_(bytes);
}

}  // namespace kuphost_plugins::etcd_backup
