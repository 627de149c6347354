#include "gym/pipeline/part_options.h"

#include <stdexcept>

#include "fmt/format.h"

namespace gym {

std::string_view OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kString:
      return "string";
    case OptionType::kInt:
      return "integer";
    case OptionType::kDouble:
      return "number";
    case OptionType::kBool:
      return "boolean";
    case OptionType::kStringList:
      return "list of strings";
    case OptionType::kStringMap:
      return "table of strings";
    case OptionType::kNumberMap:
      break;
  }
  return "table of numbers";
}

const OptionValue& PartOptions::Get(std::string_view name) const {
  auto it = values_.find(name);
  // A factory asking for an option its part never declared is a bug in the part, not in the
  // user's file: fail loudly where it happens.
  if (it == values_.end()) throw std::logic_error(fmt::format("option '{}' is not set", name));
  return it->second;
}

const std::string& PartOptions::String(std::string_view name) const {
  return std::get<std::string>(Get(name));
}
int64_t PartOptions::Int(std::string_view name) const { return std::get<int64_t>(Get(name)); }
double PartOptions::Double(std::string_view name) const { return std::get<double>(Get(name)); }
bool PartOptions::Bool(std::string_view name) const { return std::get<bool>(Get(name)); }
const std::vector<std::string>& PartOptions::Strings(std::string_view name) const {
  return std::get<std::vector<std::string>>(Get(name));
}
const std::map<std::string, std::string>& PartOptions::StringMap(std::string_view name) const {
  return std::get<std::map<std::string, std::string>>(Get(name));
}
const std::map<std::string, double>& PartOptions::NumberMap(std::string_view name) const {
  return std::get<std::map<std::string, double>>(Get(name));
}

namespace {

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Formatter {
  std::string operator()(const std::string& s) const { return Quoted(s); }
  std::string operator()(int64_t v) const { return std::to_string(v); }
  std::string operator()(double v) const { return fmt::format("{}", v); }
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(const std::vector<std::string>& list) const {
    std::string out = "[";
    for (size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + Quoted(list[i]);
    return out + "]";
  }
  template <typename V>
  std::string operator()(const std::map<std::string, V>& map) const {
    if (map.empty()) return "{}";
    std::string out = "{ ";
    bool first = true;
    for (const auto& [k, v] : map) {
      out += (first ? "" : ", ") + k + " = " + (*this)(v);
      first = false;
    }
    return out + " }";
  }
};

}  // namespace

std::string FormatOptionValue(const OptionValue& value) { return std::visit(Formatter{}, value); }

}  // namespace gym
