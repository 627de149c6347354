// Client strings made safe for log lines (see log_safe.h).
#include "gym/server/log_safe.h"

#include "absl/strings/ascii.h"
#include "fmt/core.h"

namespace gym {
namespace {

bool Plain(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
         c == '-' || c == ':' || c == '/' || c == '@' || c == '+' || c == '=';
}

}  // namespace

std::string LogSafe(std::string_view value) {
  const std::string_view shown = value.substr(0, kMaxLoggedBytes);
  bool plain = !value.empty();
  for (char c : shown) plain = plain && Plain(c);
  std::string out;
  out.reserve(shown.size() + 24);
  if (!plain) out.push_back('"');
  for (char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (plain || (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\')) {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\x{:02x}", byte);
    }
  }
  if (!plain) out.push_back('"');
  if (value.size() > shown.size()) out += fmt::format("...(+{} bytes)", value.size() - shown.size());
  return out;
}

}  // namespace gym
