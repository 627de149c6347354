// Delimited TXT source: a CSV read with the caller's delimiter.
#include "gym/sources/txt_source.h"

namespace gym {

absl::StatusOr<Frame> ReadTxtFile(const std::string& path, char delimiter, const CsvOptions& base) {
  CsvOptions options = base;
  options.delimiter = delimiter;
  return ReadCsvFile(path, options);
}

}  // namespace gym
