// Table and column names that reach SQL text (SQLite's and PostgreSQL's alike) go through
// ValidateIdentifier and QuoteIdentifier first: names come from pipeline files and frames.
#ifndef GYM_STORAGE_IDENTIFIERS_H_
#define GYM_STORAGE_IDENTIFIERS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gym {

// OK when `name` is a non-empty run of ASCII letters, digits and underscores that does not
// start with a digit; otherwise INVALID_ARGUMENT naming the identifier and the rule.
[[nodiscard]] absl::Status ValidateIdentifier(std::string_view name);

// `name` in double quotes with embedded quotes doubled: safe to splice into SQL text.
std::string QuoteIdentifier(std::string_view name);

}  // namespace gym

#endif  // GYM_STORAGE_IDENTIFIERS_H_
