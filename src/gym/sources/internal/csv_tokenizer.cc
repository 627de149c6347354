// RFC 4180 tokenizer: the hot loop of every CSV and TXT read.
//
// Runs of ordinary bytes are skipped with a 256-entry table lookup per byte; only delimiters,
// quotes, line endings and non-ASCII bytes (checked as UTF-8 on the spot, so errors come out
// in input order with their line) stop the scan.
#include "gym/sources/internal/csv_tokenizer.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gym::csv_internal {
namespace {

constexpr uint64_t kMaxFieldBytes = std::numeric_limits<uint32_t>::max();

inline uint8_t Byte(std::string_view data, size_t i) { return static_cast<uint8_t>(data[i]); }

}  // namespace

absl::Status ValidateDelimiter(char delimiter) {
  const auto b = static_cast<uint8_t>(delimiter);
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || b >= 0x80 || b == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("invalid delimiter 0x%02X: it cannot be a quote, a line ending, NUL or "
                        "a non-ASCII byte",
                        b));
  }
  return absl::OkStatus();
}

size_t SkipUtf8Bom(std::string_view data) { return data.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

CsvTokenizer::CsvTokenizer(char delimiter, std::string source_name)
    : delimiter_(delimiter), source_name_(std::move(source_name)) {
  for (int b = 0x80; b < 256; ++b) {
    plain_stop_[b] = 1;
    quoted_stop_[b] = 1;
  }
  plain_stop_[static_cast<uint8_t>(delimiter)] = 1;
  plain_stop_['\n'] = 1;
  plain_stop_['\r'] = 1;
  quoted_stop_['"'] = 1;
  quoted_stop_['\n'] = 1;
}

absl::Status CsvTokenizer::Error(uint64_t line, std::string_view message) const {
  return absl::InvalidArgumentError(absl::StrCat(
      source_name_, ":", line, ": ", absl::string_view(message.data(), message.size())));
}

absl::StatusOr<size_t> CsvTokenizer::CheckUtf8(std::string_view data, size_t p, bool at_eof,
                                               uint64_t line) const {
  const uint8_t lead = Byte(data, p);
  size_t len = 0;
  uint8_t lo = 0x80;
  uint8_t hi = 0xBF;  // allowed range of the second byte; it excludes overlongs and surrogates
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  }
  for (size_t i = 1; len != 0 && i < len; ++i) {
    if (p + i >= data.size()) {
      if (!at_eof) return size_t{0};
      len = 0;
      break;
    }
    const uint8_t b = Byte(data, p + i);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) len = 0;
  }
  if (len == 0) return Error(line, absl::StrFormat("invalid UTF-8 (byte 0x%02X)", lead));
  return len;
}

absl::StatusOr<bool> CsvTokenizer::ScanQuoted(std::string_view data, bool at_eof, size_t* p_io,
                                              uint64_t* line_io, std::string* scratch,
                                              FieldRef* field) {
  const size_t n = data.size();
  const uint64_t open_line = *line_io;
  uint64_t line = open_line;
  size_t p = *p_io + 1;
  size_t segment = p;
  bool escaped = false;
  size_t escaped_begin = 0;
  for (;;) {
    while (p < n && quoted_stop_[Byte(data, p)] == 0) ++p;
    if (p == n) {
      if (!at_eof) return false;
      return Error(open_line, "unterminated quoted field (the quote opens on this line)");
    }
    const uint8_t c = Byte(data, p);
    if (c == '\n') {
      ++line;
      ++p;
    } else if (c >= 0x80) {
      absl::StatusOr<size_t> len = CheckUtf8(data, p, at_eof, line);
      if (!len.ok()) return len.status();
      if (*len == 0) return false;
      p += *len;
    } else if (p + 1 == n && !at_eof) {
      return false;  // a quote at the buffer's end may be the first of a doubled pair
    } else if (p + 1 < n && data[p + 1] == '"') {
      if (!escaped) {
        escaped = true;
        escaped_begin = scratch->size();
      }
      scratch->append(data.substr(segment, p + 1 - segment));
      p += 2;
      segment = p;
    } else {
      break;
    }
  }
  uint64_t size = p - segment;
  if (escaped) {
    scratch->append(data.substr(segment, p - segment));
    size = scratch->size() - escaped_begin;
  }
  if (size > kMaxFieldBytes) return Error(open_line, "field longer than 4 GiB");
  *field = escaped ? FieldRef{escaped_begin, static_cast<uint32_t>(size), FieldKind::kEscaped}
                   : FieldRef{segment, static_cast<uint32_t>(size), FieldKind::kQuoted};
  *p_io = p + 1;
  *line_io = line;
  return true;
}

absl::StatusOr<CsvStep> CsvTokenizer::Next(std::string_view data, bool at_eof, size_t* pos,
                                           std::string* scratch) {
  const size_t n = data.size();
  const size_t scratch_mark = scratch->size();
  size_t p = *pos;
  uint64_t line = line_;
  record_.clear();
  record_line_ = line;
  if (p >= n) return at_eof ? CsvStep::kEnd : CsvStep::kNeedMore;
  auto need_more = [&] {
    scratch->resize(scratch_mark);
    return CsvStep::kNeedMore;
  };
  for (;;) {
    // Invariant: p is at the first byte of a field.
    if (p == n) {
      if (!at_eof) return need_more();
      record_.push_back(FieldRef{p, 0, FieldKind::kPlain});
      break;
    }
    FieldRef field;
    if (data[p] == '"') {
      absl::StatusOr<bool> done = ScanQuoted(data, at_eof, &p, &line, scratch, &field);
      if (!done.ok()) return done.status();
      if (!*done) return need_more();
    } else {
      const size_t start = p;
      for (;;) {
        while (p < n && plain_stop_[Byte(data, p)] == 0) ++p;
        if (p == n) break;
        const uint8_t c = Byte(data, p);
        if (c >= 0x80) {
          absl::StatusOr<size_t> len = CheckUtf8(data, p, at_eof, line);
          if (!len.ok()) return len.status();
          if (*len == 0) return need_more();
          p += *len;
        } else if (c == '\r' && p + 1 < n && data[p + 1] != '\n') {
          ++p;  // a lone CR inside an unquoted field is data; CRLF or CR at the end is a break
        } else {
          break;
        }
      }
      if (p - start > kMaxFieldBytes) return Error(line, "field longer than 4 GiB");
      field = FieldRef{start, static_cast<uint32_t>(p - start), FieldKind::kPlain};
    }
    record_.push_back(field);
    if (p == n) {
      if (!at_eof) return need_more();
      break;
    }
    const char c = data[p];
    if (c == delimiter_) {
      ++p;
      continue;
    }
    if (c == '\n') {
      ++p;
      ++line;
      break;
    }
    if (c == '\r' && p + 1 < n && data[p + 1] == '\n') {
      p += 2;
      ++line;
      break;
    }
    if (c == '\r' && p + 1 == n) {
      if (!at_eof) return need_more();
      ++p;
      ++line;
      break;
    }
    return Error(line, absl::StrFormat("unexpected character 0x%02X after a closing quote in "
                                       "field %d",
                                       static_cast<uint8_t>(c), record_.size()));
  }
  *pos = p;
  line_ = line;
  return CsvStep::kRecord;
}

}  // namespace gym::csv_internal
