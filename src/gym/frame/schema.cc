// Schema: field list with unique names.
#include "gym/frame/schema.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "gym/frame/frame_error.h"

namespace gym {

Schema::Schema(std::vector<Field> fields) : fields_(std::move(fields)) {
  std::unordered_set<std::string_view> seen;
  for (const Field& f : fields_) {
    if (!seen.insert(f.name).second) {
      throw FrameError("duplicate column '" + f.name + "' in schema");
    }
  }
}

std::optional<size_t> Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  out.reserve(fields_.size());
  for (const Field& f : fields_) out.push_back(f.name);
  return out;
}

std::string Schema::ToString() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    out += fields_[i].name;
    out += ':';
    out += DataTypeName(fields_[i].type);
  }
  return out;
}

}  // namespace gym
