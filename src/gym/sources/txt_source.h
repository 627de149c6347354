// Delimited TXT source: the CSV rules (header row, quoting, BOM, null for empty fields) with a
// delimiter of the caller's choice. The seed's .txt drops are comma-separated with a header.
//
//   absl::StatusOr<Frame> f = ReadTxtFile("new_transactions.txt");
//   absl::StatusOr<Frame> g = ReadTxtFile("export.txt", '|');
#ifndef GYM_SOURCES_TXT_SOURCE_H_
#define GYM_SOURCES_TXT_SOURCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/sources/csv_source.h"

namespace gym {

// Reads a whole delimited text file; `base` supplies the schema, its delimiter is replaced.
[[nodiscard]] absl::StatusOr<Frame> ReadTxtFile(const std::string& path, char delimiter = ',',
                                                const CsvOptions& base = {});

}  // namespace gym

#endif  // GYM_SOURCES_TXT_SOURCE_H_
