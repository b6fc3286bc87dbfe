#include "abi/status_text.h"

namespace kuphost {

std::string status_name(kup_status code) {
  switch (code) {
    case KUP_OK: return "ok";
    case KUP_E_INCOMPATIBLE_ABI: return "incompatible ABI";
    case KUP_E_UNSUPPORTED: return "unsupported";
    case KUP_E_NOT_APPLICABLE: return "not applicable";
    case KUP_E_INVALID_ARGUMENT: return "invalid argument";
    case KUP_E_IO: return "I/O error";
    case KUP_E_DECODE: return "decode error";
    case KUP_E_INVALID_CONFIG: return "invalid config";
    case KUP_E_COMMAND_FAILED: return "command failed";
    case KUP_E_TIMEOUT: return "timeout";
    case KUP_E_CANCELLED: return "cancelled";
    case KUP_E_RETRY_LATER: return "retry later";
    case KUP_E_NOT_FOUND: return "not found";
    case KUP_E_PREREQUISITE_MISSING: return "prerequisite missing";
    case KUP_E_INTERNAL: return "internal error";
    default:
      if (code >= KUP_E_PLUGIN_BASE) return "plugin error " + std::to_string(code);
      return "status " + std::to_string(code);
  }
}

}  // namespace kuphost
