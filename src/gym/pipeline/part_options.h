// Typed options of a pipeline part (a source, handler, sink or trigger), as a pipeline file
// sets them.
//
// A part declares each option it takes (OptionSpec: name, type, default, help). The pipeline
// file reader checks every key of a part against those declarations, so an unknown or
// mistyped option is an error naming its file and line, and the part's factory then reads
// values that are known to be present and of the declared type:
//
//   {.name = "table", .type = OptionType::kString, .help = "table the rows go to"}
//   {.name = "rates", .type = OptionType::kNumberMap, .help = "BRL per unit, by currency"}
//
//   const std::string& table = options.String("table");
//   const std::map<std::string, double>& rates = options.NumberMap("rates");
#ifndef GYM_PIPELINE_PART_OPTIONS_H_
#define GYM_PIPELINE_PART_OPTIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gym {

enum class OptionType {
  kString,
  kInt,
  kDouble,  // an integer in the file is taken as a double
  kBool,
  kStringList,
  kStringMap,  // an inline table of strings: { id = "int64", valor = "double" }
  kNumberMap,  // an inline table of numbers: { USD = 5.0, EUR = 5.4 }
};

// "string", "integer", "number", "boolean", "list of strings", "table of strings",
// "table of numbers": how errors and `gym validate --list` name a type.
std::string_view OptionTypeName(OptionType type);

using OptionValue = std::variant<std::string, int64_t, double, bool, std::vector<std::string>,
                                 std::map<std::string, std::string>,
                                 std::map<std::string, double>>;

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::kString;
  std::string help;
  // Used when the file does not set the option; nullopt makes the option required.
  std::optional<OptionValue> default_value;
  // For a kString option: the only values allowed (empty: any).
  std::vector<std::string> choices;
};

// The option values of one part: what its file set, else the declared defaults.
class PartOptions final {
 public:
  PartOptions() = default;
  explicit PartOptions(std::map<std::string, OptionValue, std::less<>> values)
      : values_(std::move(values)) {}

  // REQUIRES: the option was declared with that type (the file reader checked it).
  const std::string& String(std::string_view name) const;
  int64_t Int(std::string_view name) const;
  double Double(std::string_view name) const;
  bool Bool(std::string_view name) const;
  const std::vector<std::string>& Strings(std::string_view name) const;
  const std::map<std::string, std::string>& StringMap(std::string_view name) const;
  const std::map<std::string, double>& NumberMap(std::string_view name) const;

  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }
  void Set(std::string name, OptionValue value) { values_[std::move(name)] = std::move(value); }
  const std::map<std::string, OptionValue, std::less<>>& values() const { return values_; }

 private:
  const OptionValue& Get(std::string_view name) const;
  std::map<std::string, OptionValue, std::less<>> values_;
};

// `value` as the file would spell it: "x", 3, 2.5, true, ["a", "b"], { a = 1.0 }.
std::string FormatOptionValue(const OptionValue& value);

}  // namespace gym

#endif  // GYM_PIPELINE_PART_OPTIONS_H_
