// Producers: file requests to Frames, plus the batch and event ids every row carries.
#include "gym/sources/producer.h"

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <random>
#include <utility>

#include "absl/strings/numbers.h"
#include "fmt/format.h"
#include "gym/domain/dates.h"
#include "gym/sources/csv_source.h"
#include "gym/sources/sqlite_source.h"
#include "gym/sources/txt_source.h"

namespace gym {
namespace {

bool IsRequestColumn(std::string_view name) {
  return name == "path" || name == "query" || name == "table" || name == "batch_id";
}

// The text in `column` of a one-row request, or "" when absent or null.
std::string RequestField(const Frame& request, std::string_view column) {
  if (!request.HasColumn(column)) return {};
  const Column& cells = request.column(column);
  return cells.IsValid(0) ? ValueToString(cells.At(0)) : std::string();
}

absl::StatusOr<Frame> ReadFileAs(const std::string& path, const Frame& request,
                                 char txt_delimiter) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".csv") return ReadCsvFile(path);
  if (extension == ".txt") return ReadTxtFile(path, txt_delimiter);
  if (extension == ".db") {
    const std::string query = RequestField(request, "query");
    if (!query.empty()) return ReadSqliteQuery(path, query);
    const std::string table = RequestField(request, "table");
    if (!table.empty()) return ReadSqliteTable(path, table);
    return absl::InvalidArgumentError(
        fmt::format("{}: a .db request needs a 'query' or a 'table' column", path));
  }
  return absl::InvalidArgumentError(
      fmt::format("{}: unknown file type '{}' (expected .csv, .txt or .db)", path, extension));
}

// The file `request` names, read. A file that is missing or may not be read is the state of
// the drop folder, not a bad request: FAILED_PRECONDITION, with the reader's message.
absl::StatusOr<Frame> ReadFile(const Frame& request, char txt_delimiter) {
  absl::StatusOr<Frame> read = ReadFileAs(RequestField(request, "path"), request, txt_delimiter);
  if (absl::IsNotFound(read.status()) || absl::IsPermissionDenied(read.status())) {
    return absl::FailedPreconditionError(read.status().message());
  }
  return read;
}

// The first valid row of `column` (a string column read where numbers were expected) whose
// text is not a `type` number, and that text.
std::optional<std::pair<size_t, std::string>> FirstNonNumber(const Column& column, DataType type) {
  for (size_t row = 0; row < column.size(); ++row) {
    if (!column.IsValid(row)) continue;
    const std::string& text = column.StringAt(row);
    int64_t i = 0;
    double d = 0;
    const bool ok = type == DataType::kInt64 ? absl::SimpleAtoi(text, &i)
                                             : absl::SimpleAtod(text, &d) && std::isfinite(d);
    if (!ok) return std::make_pair(row, text);
  }
  return std::nullopt;
}

absl::Status CheckColumns(Frame& frame, const std::vector<Field>& required,
                          const std::string& path) {
  std::string missing;
  for (const Field& field : required) {
    if (!frame.HasColumn(field.name)) missing += (missing.empty() ? "" : ", ") + field.name;
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(fmt::format("{}: missing column(s) {} (the file has: {})",
                                                  path, missing,
                                                  fmt::join(frame.column_names(), ", ")));
  }
  auto bad = [&](const Field& field, size_t row, const std::string& text) {
    // Data row 1 is the line after the header (line 2 when no field spans lines).
    return absl::InvalidArgumentError(
        fmt::format("{}: data row {}: column '{}': '{}' is not {}", path, row + 1, field.name, text,
                    field.type == DataType::kInt64 ? "an integer" : "a number"));
  };
  for (const Field& field : required) {
    const Column& column = frame.column(field.name);
    if (field.type == DataType::kString || column.type() == field.type) continue;
    if (column.type() == DataType::kString) {
      if (auto first = FirstNonNumber(column, field.type)) {
        return bad(field, first->first, first->second);
      }
      continue;  // only nulls: the inferred type says nothing
    }
    if (field.type == DataType::kDouble) {  // int64 read where doubles are expected: widen
      std::vector<double> widened(column.size());
      for (size_t row = 0; row < column.size(); ++row) {
        widened[row] = column.IsValid(row) ? static_cast<double>(column.Int64At(row)) : 0;
      }
      Column doubles = Column::Doubles(std::move(widened));
      for (size_t row = 0; row < column.size(); ++row) {
        if (!column.IsValid(row)) doubles.SetNull(row);
      }
      frame.AddColumn(field.name, std::move(doubles));
      continue;
    }
    // Doubles where integers are expected: the first fraction is the error; "7.0" is 7.
    std::vector<int64_t> narrowed(column.size());
    for (size_t row = 0; row < column.size(); ++row) {
      if (!column.IsValid(row)) continue;
      const double v = column.DoubleAt(row);
      if (std::floor(v) != v || std::fabs(v) > 9.0e15) {
        return bad(field, row, fmt::format("{}", v));
      }
      narrowed[row] = static_cast<int64_t>(v);
    }
    Column ints = Column::Ints(std::move(narrowed));
    for (size_t row = 0; row < column.size(); ++row) {
      if (!column.IsValid(row)) ints.SetNull(row);
    }
    frame.AddColumn(field.name, std::move(ints));
  }
  return absl::OkStatus();
}

// `column` of `frame` as text with nulls filled by `fill(row)`, or entirely from `fill`.
template <typename Fill>
Column TextColumnFilled(const Frame& frame, std::string_view name, Fill fill) {
  Column out(DataType::kString);
  out.Reserve(frame.num_rows());
  const Column* given = frame.HasColumn(name) ? &frame.column(name) : nullptr;
  for (size_t row = 0; row < frame.num_rows(); ++row) {
    if (given != nullptr && given->IsValid(row)) {
      out.AppendString(given->type() == DataType::kString ? given->StringAt(row)
                                                          : ValueToString(given->At(row)));
    } else {
      out.AppendString(fill(row));
    }
  }
  return out;
}

}  // namespace

Frame FileRequest(const std::string& path) { return Frame({"path"}, {Column::Strings({path})}); }

Frame SqliteTableRequest(const std::string& db_path, const std::string& table) {
  return Frame({"path", "table"}, {Column::Strings({db_path}), Column::Strings({table})});
}

Frame SqliteQueryRequest(const std::string& db_path, const std::string& query) {
  return Frame({"path", "query"}, {Column::Strings({db_path}), Column::Strings({query})});
}

bool IsFileRequest(const Frame& input) {
  if (input.num_rows() != 1 || !input.HasColumn("path") ||
      input.column("path").type() != DataType::kString) {
    return false;
  }
  for (const std::string& name : input.column_names()) {
    if (!IsRequestColumn(name)) return false;
  }
  return true;
}

ProducerHandler::ProducerHandler(ProducerOptions options)
    : options_(std::move(options)), instance_(std::random_device{}()) {}

std::string ProducerHandler::NewBatchId() {
  return fmt::format("batch-{}-{:08x}-{}", UtcStamp(std::chrono::system_clock::now()),
                     instance_ & 0xffffffffu, next_batch_.fetch_add(1));
}

absl::StatusOr<Frame> ProducerHandler::Handle(Frame input) {
  std::string batch_id = options_.batch_id;
  Frame produced;
  if (IsFileRequest(input)) {
    if (batch_id.empty()) batch_id = RequestField(input, "batch_id");
    absl::StatusOr<Frame> read = ReadFile(input, options_.txt_delimiter);
    if (!read.ok()) return read.status();
    produced = *std::move(read);
    if (absl::Status s =
            CheckColumns(produced, options_.required_columns, RequestField(input, "path"));
        !s.ok()) {
      return s;
    }
  } else {
    produced = std::move(input);
  }
  // Records keep their own per-row batch ids; the constructor's id overrides them.
  if (!options_.batch_id.empty() && produced.HasColumn("batch_id")) {
    produced = produced.Drop({"batch_id"});
  }
  auto complete = [&produced](std::string_view name) {
    return produced.HasColumn(name) && produced.column(name).type() == DataType::kString &&
           produced.column(name).NullCount() == 0;
  };
  // Records that carry both ids on every row (the gRPC server's batches) need nothing: no
  // string is copied on the server's hot path.
  if (options_.batch_id.empty() && complete("batch_id") && complete("event_id")) {
    return produced;
  }
  if (batch_id.empty()) batch_id = NewBatchId();
  Column batch_ids = TextColumnFilled(produced, "batch_id", [&](size_t) { return batch_id; });
  const std::vector<std::string>& batches = batch_ids.strings();
  Column event_ids = TextColumnFilled(
      produced, "event_id", [&](size_t row) { return fmt::format("{}:{}", batches[row], row); });
  if (produced.num_columns() == 0) return produced;
  produced.AddColumn("batch_id", std::move(batch_ids));
  produced.AddColumn("event_id", std::move(event_ids));
  return produced;
}

namespace {

std::vector<Field> DeclaredColumns(const PartOptions& o) {
  std::vector<Field> fields;
  for (const auto& [name, type] : o.StringMap("columns")) {
    if (auto t = ParseDataType(type)) fields.push_back({name, *t});
  }
  return fields;
}

std::vector<OptionSpec> FileMatchOptions(std::vector<std::string> match) {
  return {{.name = "match",
           .type = OptionType::kStringList,
           .help = "globs of the file names it takes (\"*.txt\"); none: only what is "
                   "submitted to it",
           .default_value = std::move(match)},
          {.name = "exclude",
           .type = OptionType::kStringList,
           .help = "globs of file names it leaves alone even when they match",
           .default_value = std::vector<std::string>{}}};
}

// Every produced row gets a batch_id and an event_id.
const std::vector<Field> kStampedColumns = {{"batch_id", DataType::kString},
                                            {"event_id", DataType::kString}};

// The contract of a source with a `columns` option: those columns, then the stamped ids.
ColumnContract DeclaredAndStamped(const PartOptions& o) {
  ColumnContract c{.adds = DeclaredColumns(o)};
  c.adds.insert(c.adds.end(), kStampedColumns.begin(), kStampedColumns.end());
  return c;
}

// A `columns` option's types that are not int64, double or string.
std::vector<std::string> ColumnTypeProblems(const PartOptions& o) {
  std::vector<std::string> problems;
  for (const auto& [name, type] : o.StringMap("columns")) {
    if (!ParseDataType(type)) {
      problems.push_back(fmt::format(
          "columns: '{}' has type '{}'; the types are int64, double and string", name, type));
    }
  }
  return problems;
}

}  // namespace

PartInfo FileSourcePart() {
  std::vector<OptionSpec> options = FileMatchOptions({});
  options.push_back({.name = "columns",
                     .type = OptionType::kStringMap,
                     .help = "columns each file must have, with their types (int64, double, "
                             "string); a file without one fails, naming it",
                     .default_value = std::map<std::string, std::string>{}});
  options.push_back({.name = "txt_delimiter",
                     .type = OptionType::kString,
                     .help = "the field separator of .txt files",
                     .default_value = std::string(",")});
  return {.type = "file",
          .kind = PartKind::kSource,
          .help = "reads a .csv, .txt or .db file; stamps batch_id and event_id",
          .options = std::move(options),
          .contract = DeclaredAndStamped,
          .check =
              [](const PartOptions& o) {
                std::vector<std::string> problems = ColumnTypeProblems(o);
                if (o.String("txt_delimiter").size() != 1) {
                  problems.push_back("txt_delimiter: must be one character");
                }
                return problems;
              },
          .make = [](const std::string&, const PartOptions& o, const PartContext&) -> MadeHandler {
            return std::make_unique<ProducerHandler>(
                ProducerOptions{.txt_delimiter = o.String("txt_delimiter").at(0),
                                .required_columns = DeclaredColumns(o)});
          }};
}

PartInfo SqliteTableSourcePart() {
  std::vector<OptionSpec> options = FileMatchOptions({"*.db"});
  options.push_back(
      {.name = "table", .type = OptionType::kString, .help = "the table it reads"});
  return {.type = "sqlite_table",
          .kind = PartKind::kSource,
          .help = "reads one table of a SQLite file; stamps batch_id and event_id",
          .options = std::move(options),
          .contract = [](const PartOptions&) { return ColumnContract{.adds = kStampedColumns}; },
          .make = [](const std::string&, const PartOptions&, const PartContext&) -> MadeHandler {
            return std::make_unique<ProducerHandler>();
          }};
}

PartInfo RecordsSourcePart() {
  return {.type = "records",
          .kind = PartKind::kSource,
          .help = "passes submitted rows on; stamps batch_id and event_id where absent",
          .options = {{.name = "columns",
                       .type = OptionType::kStringMap,
                       .help = "the columns callers submit, with their types (int64, double, "
                               "string), for gym validate to follow along the pipeline; gym "
                               "serve's own are in pipelines/serve.toml",
                       .default_value = std::map<std::string, std::string>{}}},
          .contract = DeclaredAndStamped,
          .check = ColumnTypeProblems,
          .make = [](const std::string&, const PartOptions&, const PartContext&) -> MadeHandler {
            return std::make_unique<ProducerHandler>();
          }};
}

bool SourceTakesFile(const PartOptions& options, const std::string& path) {
  if (!options.Has("match")) return false;
  const std::string name = std::filesystem::path(path).filename().string();
  auto any = [&](const std::vector<std::string>& globs) {
    return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
      return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
    });
  };
  return any(options.Strings("match")) && !any(options.Strings("exclude"));
}

}  // namespace gym
