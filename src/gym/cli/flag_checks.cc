#include "gym/cli/flag_checks.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

#include "absl/time/time.h"
#include "fmt/format.h"

namespace gym::flag {
namespace {

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Shortest text of a bound: "0.5", "604800", never "604800.000000".
std::string SecondsText(double seconds) { return fmt::format("{}", seconds); }

// A finite decimal number, >= 0 (or > 0 when !allow_zero), at most `max`; `rule` is the
// message's start.
CLI::Validator BoundedNumber(std::string rule, bool allow_zero, double max, std::string shown) {
  return CLI::Validator(
      [allow_zero, max, rule](std::string& text) -> std::string {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool ok = ec == std::errc() && end == text.data() + text.size() &&
                        std::isfinite(value) && (allow_zero ? value >= 0 : value > 0) &&
                        value <= max;
        if (!ok) return fmt::format("{}, got '{}'", rule, text);
        return {};
      },
      std::move(shown));
}

}  // namespace

std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t min, int64_t max) {
  const bool negative = !text.empty() && text.front() == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (!AllDigits(digits)) return std::nullopt;
  uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |INT64_MIN|
  if (magnitude > (negative ? kMaxMagnitude : kMaxMagnitude - 1)) return std::nullopt;
  const int64_t value = negative ? (magnitude == kMaxMagnitude ? std::numeric_limits<int64_t>::min()
                                                               : -static_cast<int64_t>(magnitude))
                                 : static_cast<int64_t>(magnitude);
  if (value < min || value > max) return std::nullopt;
  return value;
}

CLI::Validator WholeNumber(int64_t min, int64_t max) {
  const std::string rule = fmt::format("must be a whole number from {} to {}", min, max);
  return CLI::Validator(
      [min, max, rule](std::string& text) -> std::string {
        const std::optional<int64_t> value = ParseWholeNumber(text, min, max);
        if (!value) return fmt::format("{}, got '{}'", rule, text);
        text = std::to_string(*value);
        return {};
      },
      fmt::format("{}..{}", min, max));
}

std::variant<std::vector<int64_t>, std::string> ParseWholeNumberList(std::string_view text,
                                                                     int64_t min, int64_t max) {
  std::vector<std::string_view> items;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::vector<int64_t> values;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::optional<int64_t> value = ParseWholeNumber(items[i], min, max);
    if (!value) {
      return fmt::format("item {} of {} must be a whole number from {} to {}, got '{}'", i + 1,
                         items.size(), min, max, items[i]);
    }
    values.push_back(*value);
  }
  return values;
}

CLI::Validator WholeNumberList(int64_t min, int64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        auto parsed = ParseWholeNumberList(text, min, max);
        if (auto* error = std::get_if<std::string>(&parsed)) return *error;
        return {};
      },
      fmt::format("N[,N...] in {}..{}", min, max));
}

CLI::Validator Seed() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (!AllDigits(text) || ec != std::errc() || end != text.data() + text.size()) {
          return fmt::format("must be a whole number from 0 to {}, got '{}'",
                             std::numeric_limits<uint64_t>::max(), text);
        }
        text = std::to_string(value);
        return {};
      },
      "0..2^64-1");
}

CLI::Validator CountOrWord(int64_t max, std::string word, int64_t word_value) {
  return CLI::Validator(
      [max, word, word_value](std::string& text) -> std::string {
        if (text == word) {
          text = std::to_string(word_value);
          return {};
        }
        const std::optional<int64_t> value = ParseWholeNumber(text, 0, max);
        if (!value) {
          return fmt::format("must be a whole number from 0 to {} or '{}', got '{}'", max, word,
                             text);
        }
        text = std::to_string(*value);
        return {};
      },
      fmt::format("0..{} or {}", max, word));
}

CLI::Validator Seconds(bool allow_zero, double max) {
  return BoundedNumber(fmt::format("must be a number of seconds {} 0 and at most {}",
                                   allow_zero ? ">=" : ">", SecondsText(max)),
                       allow_zero, max, allow_zero ? "SECONDS >= 0" : "SECONDS > 0");
}

CLI::Validator Number(bool allow_zero, double max) {
  return BoundedNumber(fmt::format("must be a number {} 0 and at most {}", allow_zero ? ">=" : ">",
                                   SecondsText(max)),
                       allow_zero, max, allow_zero ? "NUMBER >= 0" : "NUMBER > 0");
}

CLI::Validator Duration(double max_seconds) {
  const std::string rule =
      fmt::format("must be a duration with a unit (e.g. 500ms, 60s, 2m) above 0 and at most {}s",
                  SecondsText(max_seconds));
  return CLI::Validator(
      [max_seconds, rule](std::string& text) -> std::string {
        absl::Duration d;
        if (!absl::ParseDuration(text, &d) || d <= absl::ZeroDuration() ||
            absl::ToDoubleSeconds(d) > max_seconds) {
          return fmt::format("{}, got '{}'", rule, text);
        }
        return {};
      },
      "DURATION");
}

std::chrono::nanoseconds DurationValue(const std::string& text) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d)) return std::chrono::nanoseconds::zero();
  return absl::ToChronoNanoseconds(d);
}

}  // namespace gym::flag
