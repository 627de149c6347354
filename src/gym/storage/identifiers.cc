// Identifiers safe to splice into SQL text (see identifiers.h).
#include "gym/storage/identifiers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gym {
namespace {

absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

absl::Status ValidateIdentifier(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("identifier must not be empty");
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (i == 0 && digit) {
      return absl::InvalidArgumentError(
          absl::StrCat("identifier '", AsAbsl(name), "' must not start with a digit"));
    }
    if (!letter && !digit) {
      return absl::InvalidArgumentError(
          absl::StrCat("identifier '", AsAbsl(name), "' has an invalid character at position ", i,
                       " (only letters, digits and underscores are allowed)"));
    }
  }
  return absl::OkStatus();
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace gym
