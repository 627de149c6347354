// CsvTokenizer: splits RFC 4180 text into records of fields without copying field text.
//
// Shared by ParseCsv (one buffer holding the whole input) and CsvReader (a buffer refilled from
// a file). A record that runs past the end of the buffer reports kNeedMore unless the caller
// says the buffer ends the input, so the reader can append more bytes and ask again.
//
//   CsvTokenizer tok(',', "new.txt");
//   size_t pos = SkipUtf8Bom(text);
//   std::string scratch;
//   while (*tok.Next(text, /*at_eof=*/true, &pos, &scratch) == CsvStep::kRecord) Use(tok.record());
#ifndef GYM_SOURCES_INTERNAL_CSV_TOKENIZER_H_
#define GYM_SOURCES_INTERNAL_CSV_TOKENIZER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym::csv_internal {

enum class FieldKind : uint8_t {
  kPlain,    // unquoted; its text is in the input buffer; empty means null
  kQuoted,   // quoted without doubled quotes; its text (between the quotes) is in the input
  kEscaped,  // quoted with doubled quotes; its unescaped text is in the scratch buffer
};

// Where one field's text lives: offsets, not pointers, so a growing buffer stays valid.
struct FieldRef {
  uint64_t begin = 0;
  uint32_t size = 0;
  FieldKind kind = FieldKind::kPlain;

  bool IsNull() const { return kind == FieldKind::kPlain && size == 0; }
  std::string_view Text(std::string_view data, std::string_view scratch) const {
    return (kind == FieldKind::kEscaped ? scratch : data).substr(begin, size);
  }
};

enum class CsvStep { kRecord, kNeedMore, kEnd };

// Rejects delimiters the format cannot use: quote, CR, LF and non-ASCII bytes.
absl::Status ValidateDelimiter(char delimiter);

// 3 when `data` starts with a UTF-8 byte order mark, else 0.
size_t SkipUtf8Bom(std::string_view data);

class CsvTokenizer final {
 public:
  // REQUIRES: ValidateDelimiter(delimiter).ok().
  CsvTokenizer(char delimiter, std::string source_name);

  // Reads the record starting at data[*pos]. kRecord: record() holds its fields and *pos is
  // past its line ending. kNeedMore: the record is cut off by the end of `data` (only when
  // !at_eof); nothing is consumed and `scratch` is restored. kEnd: no bytes left and at_eof.
  // Errors name the source and the physical line: an unterminated quote names the line where
  // the field opened, invalid UTF-8 the line of the bad byte.
  absl::StatusOr<CsvStep> Next(std::string_view data, bool at_eof, size_t* pos,
                               std::string* scratch);

  const std::vector<FieldRef>& record() const { return record_; }
  // Physical (1-based) line on which the last record started.
  uint64_t record_line() const { return record_line_; }
  const std::string& source_name() const { return source_name_; }

  // "<source>:<line>: <message>" as InvalidArgument.
  absl::Status Error(uint64_t line, std::string_view message) const;

 private:
  // Scans the quoted field whose opening quote is at data[*p]. True: *field is set and *p is
  // past the closing quote. False: the buffer ends first (only when !at_eof).
  absl::StatusOr<bool> ScanQuoted(std::string_view data, bool at_eof, size_t* p, uint64_t* line,
                                  std::string* scratch, FieldRef* field);
  // Checks the multi-byte UTF-8 sequence at data[p]; returns its length, 0 when the buffer
  // cuts it off before at_eof, or an error.
  absl::StatusOr<size_t> CheckUtf8(std::string_view data, size_t p, bool at_eof,
                                   uint64_t line) const;

  char delimiter_;
  std::string source_name_;
  uint64_t line_ = 1;
  uint64_t record_line_ = 1;
  std::vector<FieldRef> record_;
  // Non-zero for bytes that end a run of ordinary characters, outside and inside quotes.
  std::array<uint8_t, 256> plain_stop_{};
  std::array<uint8_t, 256> quoted_stop_{};
};

}  // namespace gym::csv_internal

#endif  // GYM_SOURCES_INTERNAL_CSV_TOKENIZER_H_
