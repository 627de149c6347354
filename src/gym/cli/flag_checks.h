// Value checks for gym's flags, as CLI11 transforms. A bad value is a usage error (exit 2)
// whose message names the flag (CLI11 puts it first), the rule and the value as typed:
//
//   --chunks: must be a whole number from 1 to 64, got '100'
//   --seed: must be a whole number from 0 to 18446744073709551615, got '-1'
//
// Why not CLI11's own: its Range prints the bounds of a double range in full
// ("0.000000 to 179769313486231570814527...") and its unsigned conversion takes '-1' as
// 2^64-1 and '010' as octal 8. These accept plain decimal only and hand CLI11 the canonical
// text (leading zeros dropped), so what is checked is what is stored.
//
//   sub->add_option("--chunks", chunks)->transform(flag::WholeNumber(1, 64));
//   sub->add_option("--idle-timeout", seconds)->transform(flag::Seconds(/*allow_zero=*/false));
#ifndef GYM_CLI_FLAG_CHECKS_H_
#define GYM_CLI_FLAG_CHECKS_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "CLI/CLI.hpp"

namespace gym::flag {

// A whole number in [min, max] written in decimal digits (a leading '-' only when min < 0).
CLI::Validator WholeNumber(int64_t min, int64_t max);
// A whole number from 0 to 2^64-1 (a seed).
CLI::Validator Seed();
// The same as WholeNumber(0, max), or the word `word` (say "unlimited"), which is handed to
// CLI11 as `word_value` (a value the digits alone cannot spell, such as -1).
CLI::Validator CountOrWord(int64_t max, std::string word, int64_t word_value);
// A finite number of seconds, >= 0 (or > 0 when !allow_zero), at most `max`.
CLI::Validator Seconds(bool allow_zero, double max = 7 * 86400.0);
// A comma-separated list of whole numbers, each in [min, max]; a bad item is named by its
// position, counted from 1: "item 2 of 3 must be a whole number from 1 to 10000, got 'x'".
CLI::Validator WholeNumberList(int64_t min, int64_t max);
// A finite number (not seconds: a factor, a rate), >= 0 (or > 0 when !allow_zero), at most
// `max`.
CLI::Validator Number(bool allow_zero, double max);
// A duration with its unit, as Abseil spells them ("500ms", "60s", "1m30s"), > 0 and at most
// `max_seconds`. A bare number ("2") is refused: seconds or milliseconds would be a guess.
CLI::Validator Duration(double max_seconds = 7 * 86400.0);
// The value of a flag that Duration() accepted (zero for any other text).
std::chrono::nanoseconds DurationValue(const std::string& text);

// The parsing behind the validators, for tests and for values split out of one flag:
// `text` as a decimal whole number in [min, max], or nullopt.
std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t min, int64_t max);
// `text` as WholeNumberList(min, max) reads it; the error is the validator's message.
std::variant<std::vector<int64_t>, std::string> ParseWholeNumberList(std::string_view text,
                                                                     int64_t min, int64_t max);

}  // namespace gym::flag

#endif  // GYM_CLI_FLAG_CHECKS_H_
