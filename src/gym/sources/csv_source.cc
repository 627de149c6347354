// CSV source: whole-input parsing and the chunked file reader (see csv_source.h).
#include "gym/sources/csv_source.h"

#include <algorithm>
#include <utility>

#include "gym/sources/internal/csv_columns.h"
#include "gym/sources/internal/csv_tokenizer.h"
#include "gym/sources/internal/file_reader.h"

namespace gym {
namespace {

using csv_internal::AppendRows;
using csv_internal::ColumnLayout;
using csv_internal::CsvStep;
using csv_internal::CsvTokenizer;
using csv_internal::FieldRef;
using csv_internal::FileReader;
using csv_internal::FrameAccumulator;
using csv_internal::MakeLayout;
using csv_internal::TokenizedRows;

// Bytes CsvReader asks the file for at a time (more while one record is longer than this).
constexpr size_t kReadBlock = size_t{1} << 20;
// Rows ParseCsv converts at a time.
constexpr size_t kParseChunkRows = 65536;

std::vector<std::string> FieldTexts(const std::vector<FieldRef>& record, std::string_view data,
                                    std::string_view scratch) {
  std::vector<std::string> texts;
  texts.reserve(record.size());
  for (const FieldRef& f : record) texts.emplace_back(f.Text(data, scratch));
  return texts;
}

}  // namespace

absl::StatusOr<Frame> ParseCsv(std::string_view text, const CsvOptions& options,
                               std::string_view source_name) {
  if (absl::Status st = csv_internal::ValidateDelimiter(options.delimiter); !st.ok()) return st;
  CsvTokenizer tok(options.delimiter, std::string(source_name));
  size_t pos = csv_internal::SkipUtf8Bom(text);
  std::string header_scratch;
  absl::StatusOr<CsvStep> step = tok.Next(text, /*at_eof=*/true, &pos, &header_scratch);
  if (!step.ok()) return step.status();
  if (*step == CsvStep::kEnd) {
    return options.schema.has_value() ? Frame::Empty(*options.schema) : Frame();
  }
  const std::vector<std::string> header = FieldTexts(tok.record(), text, header_scratch);
  absl::StatusOr<std::vector<ColumnLayout>> layout =
      MakeLayout(header, options.schema, source_name, tok.record_line());
  if (!layout.ok()) return layout.status();
  // Tokenizing and converting a chunk at a time keeps the field index in cache. When a later
  // chunk widens a column already filled with a narrower type, the first pass still reads to
  // the end to learn the final types, and a second pass starts from them: every chunk fits.
  const size_t body = pos;
  const CsvTokenizer body_tok = tok;
  std::vector<std::optional<DataType>> inferred(layout->size());
  for (int pass = 0; pass < 2; ++pass) {
    FrameAccumulator frame(*layout, inferred);
    TokenizedRows rows;
    pos = body;
    tok = body_tok;
    bool consistent = true;
    do {
      rows.Reset(header.size());
      step = AppendRows(tok, text, /*at_eof=*/true, &pos, kParseChunkRows, &rows);
      if (!step.ok()) return step.status();
      absl::StatusOr<bool> appended = frame.Append(rows, text, source_name);
      if (!appended.ok()) return appended.status();
      consistent = consistent && *appended;
      if (frame.num_rows() == rows.num_rows() && pos > body) {
        // Size the columns once from the first chunk's bytes per row.
        frame.Reserve(static_cast<size_t>(static_cast<double>(text.size() - body) /
                                          static_cast<double>(pos - body) *
                                          static_cast<double>(rows.num_rows()) * 1.05) +
                      16);
      }
    } while (*step == CsvStep::kRecord);
    if (consistent) return std::move(frame).Finish();
    inferred = frame.inferred();
  }
  return absl::InternalError("CSV column types kept widening on the second pass");
}

absl::StatusOr<Frame> ReadCsvFile(const std::string& path, const CsvOptions& options) {
  absl::StatusOr<std::unique_ptr<FileReader>> file = FileReader::Open(path);
  if (!file.ok()) return file.status();
  std::string text;
  if (absl::Status st = (*file)->ReadAll(&text); !st.ok()) return st;
  return ParseCsv(text, options, path);
}

struct CsvReader::State {
  State(std::unique_ptr<FileReader> f, std::string p, CsvOptions o)
      : file(std::move(f)),
        path(std::move(p)),
        options(std::move(o)),
        tok(options.delimiter, path) {}

  // Appends at least one block, more when the pending record is already longer, so a huge
  // record is rescanned a logarithmic number of times.
  absl::Status Fill() {
    absl::StatusOr<size_t> got = file->ReadSome(&buffer, std::max(kReadBlock, buffer.size() - pos));
    if (!got.ok()) return got.status();
    if (*got == 0) eof = true;
    return absl::OkStatus();
  }

  // Runs `parse` (a tokenizer step over the buffer) until it no longer needs more bytes.
  template <typename Parse>
  absl::StatusOr<CsvStep> WithRefills(Parse parse) {
    for (;;) {
      absl::StatusOr<CsvStep> step = parse();
      if (!step.ok() || *step != CsvStep::kNeedMore) return step;
      if (absl::Status st = Fill(); !st.ok()) return st;
    }
  }

  std::unique_ptr<FileReader> file;
  std::string path;
  CsvOptions options;
  CsvTokenizer tok;
  std::string buffer;
  size_t pos = 0;
  bool eof = false;
  bool done = false;
  absl::Status error;
  uint64_t consumed = 0;  // bytes already dropped from the front of `buffer`
  std::vector<std::string> header;
  std::vector<ColumnLayout> layout;
  std::vector<std::optional<DataType>> inferred;
  std::optional<Schema> latest_schema;
  TokenizedRows rows;
};

CsvReader::CsvReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
CsvReader::~CsvReader() = default;

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                           const CsvOptions& options) {
  if (absl::Status st = csv_internal::ValidateDelimiter(options.delimiter); !st.ok()) return st;
  if (options.chunk_rows == 0) return absl::InvalidArgumentError("chunk_rows must be positive");
  absl::StatusOr<std::unique_ptr<FileReader>> file = FileReader::Open(path);
  if (!file.ok()) return file.status();
  auto state = std::make_unique<State>(*std::move(file), path, options);
  State& s = *state;
  while (!s.eof && s.buffer.size() < 3) {
    if (absl::Status st = s.Fill(); !st.ok()) return st;
  }
  s.pos = csv_internal::SkipUtf8Bom(s.buffer);
  std::string header_scratch;
  absl::StatusOr<CsvStep> step =
      s.WithRefills([&] { return s.tok.Next(s.buffer, s.eof, &s.pos, &header_scratch); });
  if (!step.ok()) return step.status();
  if (*step == CsvStep::kEnd) {
    s.done = true;
    s.latest_schema = options.schema;
  } else {
    s.header = FieldTexts(s.tok.record(), s.buffer, header_scratch);
    absl::StatusOr<std::vector<ColumnLayout>> layout =
        MakeLayout(s.header, options.schema, path, s.tok.record_line());
    if (!layout.ok()) return layout.status();
    s.layout = *std::move(layout);
    s.inferred.resize(s.layout.size());
  }
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(state)));
}

absl::StatusOr<std::optional<Frame>> CsvReader::Next() {
  State& s = *state_;
  if (!s.error.ok()) return s.error;
  if (s.done) return std::nullopt;
  s.rows.Reset(s.header.size());
  absl::StatusOr<CsvStep> step = s.WithRefills(
      [&] { return AppendRows(s.tok, s.buffer, s.eof, &s.pos, s.options.chunk_rows, &s.rows); });
  if (!step.ok()) {
    s.error = step.status();
    return s.error;
  }
  if (*step == CsvStep::kEnd) s.done = true;
  if (s.rows.num_rows() == 0) return std::nullopt;
  FrameAccumulator accumulator(s.layout, s.inferred);
  if (absl::StatusOr<bool> appended = accumulator.Append(s.rows, s.buffer, s.path);
      !appended.ok()) {
    s.error = appended.status();
    return s.error;
  }
  s.inferred = accumulator.inferred();
  std::optional<Frame> frame = std::move(accumulator).Finish();
  // The chunk's text is no longer referenced: keep only the bytes after it.
  s.buffer.erase(0, s.pos);
  s.consumed += s.pos;
  s.pos = 0;
  s.latest_schema = frame->schema();
  return frame;
}

const std::vector<std::string>& CsvReader::header() const { return state_->header; }

Schema CsvReader::schema() const {
  if (state_->latest_schema.has_value()) return *state_->latest_schema;
  if (state_->options.schema.has_value()) return *state_->options.schema;
  std::vector<Field> fields;
  for (const ColumnLayout& c : state_->layout) fields.push_back({c.name, DataType::kString});
  return Schema(std::move(fields));
}

uint64_t CsvReader::bytes_consumed() const { return state_->consumed + state_->pos; }

}  // namespace gym
