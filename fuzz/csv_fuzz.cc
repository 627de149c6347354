// libFuzzer target for the CSV parser. ParseCsv must never crash on any bytes, with inferred or
// explicit types; and whatever it accepts must survive the CSV sink: formatting the Frame and
// parsing that text with the Frame's schema gives a Frame that formats to the same text.
//
// Byte 0 picks the delimiter (and the explicit types); the rest is the CSV text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gym/sinks/csv_sink.h"
#include "gym/sources/csv_source.h"

namespace {

void CheckRoundTrip(const gym::Frame& frame, gym::CsvOptions options) {
  options.schema = frame.schema();
  const std::string text = gym::FormatCsv(frame, options.delimiter);
  absl::StatusOr<gym::Frame> back = gym::ParseCsv(text, options, "round trip");
  if (!back.ok()) {
    std::fprintf(stderr, "sink output does not parse: %s\n", back.status().ToString().c_str());
    std::abort();
  }
  if (gym::FormatCsv(*back, options.delimiter) != text) {
    std::fprintf(stderr, "round trip changed the frame:\n%s", text.c_str());
    std::abort();
  }
}

char PickDelimiter(uint8_t control) {
  const char d = static_cast<char>(control & 0x7F);
  return d == '"' || d == '\n' || d == '\r' || d == '\0' || (control & 0x80) != 0 ? ',' : d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  gym::CsvOptions options;
  options.delimiter = PickDelimiter(data[0]);
  absl::StatusOr<gym::Frame> inferred = gym::ParseCsv(text, options, "fuzz");
  if (!inferred.ok()) return 0;
  CheckRoundTrip(*inferred, options);

  // Explicit types: the inferred schema reversed, each type shifted by the control byte, so
  // values meet types they may not fit.
  std::vector<gym::Field> fields = inferred->schema().fields();
  std::reverse(fields.begin(), fields.end());
  for (size_t i = 0; i < fields.size(); ++i) {
    fields[i].type =
        static_cast<gym::DataType>((static_cast<size_t>(fields[i].type) + i + data[0]) % 3);
  }
  options.schema = gym::Schema(fields);
  absl::StatusOr<gym::Frame> typed = gym::ParseCsv(text, options, "fuzz");
  if (typed.ok()) CheckRoundTrip(*typed, options);
  return 0;
}
