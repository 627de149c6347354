// gym inspect PATH: the schema, row count and first rows of a CSV/TXT file (streamed, so a
// file of any size is counted in bounded memory), of a SQLite table (file.db:table) or of a
// query (file.db --query "SELECT ..."); for a bare file.db, its tables and their row counts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/cli/inspect_output.h"
#include "gym/sinks/csv_sink.h"
#include "gym/sources/csv_source.h"
#include "gym/sources/database_reader.h"
#include "gym/storage/identifiers.h"
#include "gym/storage/pg_commit_backend.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

struct InspectOptions {
  std::string path;
  size_t rows = 10;
  std::string format = "table";
  std::string delimiter;
  std::string query;
};

std::string Extension(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  const size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return absl::AsciiStrToLower(path.substr(dot));
}

bool IsSqlitePath(const std::string& path) {
  const std::string ext = Extension(path);
  return ext == ".db" || ext == ".sqlite" || ext == ".sqlite3";
}

// A SQLite file, or a PostgreSQL connection string.
bool IsDatabase(const std::string& path) { return IsSqlitePath(path) || IsPostgresTarget(path); }

absl::StatusOr<char> PickDelimiter(const InspectOptions& options) {
  const std::string& d = options.delimiter;
  if (d == "tab" || d == "\\t") return '\t';
  if (d.size() == 1) return d[0];
  if (!d.empty()) {
    return absl::InvalidArgumentError("--delimiter must be one character or 'tab', got '" + d +
                                      "'");
  }
  const std::string ext = Extension(options.path);
  if (ext == ".csv" || ext == ".txt") return ',';
  if (ext == ".tsv") return '\t';
  return absl::InvalidArgumentError(
      options.path +
      ": unknown file type; expected .csv, .txt, .tsv (or --delimiter), "
      "file.db:table or file.db --query \"SELECT ...\"");
}

// What reading every chunk of a source gives: the row count, the first rows and the last
// chunk's schema (types only ever widen from chunk to chunk).
struct Counted {
  uint64_t rows = 0;
  std::optional<Frame> head;
  Schema last_schema;
};

// Reads `reader` (CsvReader or SqliteReader) to the end without holding more than one chunk,
// logging `progress()` about once a second on long files.
template <typename Reader, typename Progress>
absl::StatusOr<Counted> CountChunks(Reader& reader, size_t head_rows, Progress progress) {
  Counted counted;
  auto last_report = std::chrono::steady_clock::now();
  for (;;) {
    absl::StatusOr<std::optional<Frame>> chunk = reader.Next();
    if (!chunk.ok()) return chunk.status();
    if (!chunk->has_value()) break;
    if (!counted.head.has_value()) counted.head = (*chunk)->Head(head_rows);
    counted.rows += (*chunk)->num_rows();
    counted.last_schema = (*chunk)->schema();
    if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(1)) {
      last_report = std::chrono::steady_clock::now();
      spdlog::info("inspect: {} rows counted{}", counted.rows, progress());
    }
  }
  return counted;
}

Inspection MakeInspection(const std::string& path, Schema schema, Counted counted) {
  Frame head = counted.head.has_value() ? *std::move(counted.head) : Frame::Empty(schema);
  return Inspection{path, std::move(schema), counted.rows, std::move(head)};
}

absl::StatusOr<Inspection> InspectDelimited(const InspectOptions& options, char delimiter) {
  CsvOptions csv;
  csv.delimiter = delimiter;
  csv.chunk_rows = std::max<size_t>(csv.chunk_rows, options.rows);
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(options.path, csv);
  if (!reader.ok()) return reader.status();
  CsvReader& csv_reader = **reader;
  absl::StatusOr<Counted> counted = CountChunks(csv_reader, options.rows, [&csv_reader] {
    return " (" + std::to_string(csv_reader.bytes_consumed() >> 20) + " MB read)";
  });
  if (!counted.ok()) return counted.status();
  return MakeInspection(options.path, csv_reader.schema(), *std::move(counted));
}

// Streams the rows in chunks, like the CSV path: a table of millions of rows is counted
// without being held in memory.
absl::StatusOr<Inspection> InspectDatabase(const InspectOptions& options) {
  std::string db = options.path;
  std::string sql = options.query;
  if (!sql.empty()) {
    if (!IsDatabase(options.path)) {
      return absl::InvalidArgumentError(
          "--query needs a SQLite file (.db, .sqlite, .sqlite3) or a PostgreSQL connection "
          "string, got " + options.path);
    }
  } else {
    const size_t colon = options.path.find_last_of(':');
    db = options.path.substr(0, colon);
    const std::string table = options.path.substr(colon + 1);
    if (absl::Status s = ValidateIdentifier(table); !s.ok()) {
      return absl::InvalidArgumentError("bad table name: " + std::string(s.message()));
    }
    sql = "SELECT * FROM " + QuoteIdentifier(table);
  }
  absl::StatusOr<std::unique_ptr<DatabaseReader>> database = DatabaseReader::Open(db);
  if (!database.ok()) return database.status();
  absl::StatusOr<std::unique_ptr<QueryStream>> reader =
      (*database)->Stream(sql, std::max<size_t>(65536, options.rows));
  if (!reader.ok()) return reader.status();
  absl::StatusOr<Counted> counted =
      CountChunks(**reader, options.rows, [] { return std::string(); });
  if (!counted.ok()) return counted.status();
  Schema schema = counted->last_schema;
  return MakeInspection(options.path, std::move(schema), *std::move(counted));
}

// A path names a table when it is "<database>:<table>" (a SQLite file or a PostgreSQL
// connection string, then a table name); a bare database is listed instead (RunListTables).
// A connection string has colons of its own (scheme, port): after one, only a valid name
// makes a table; after a SQLite file anything does, and a bad name is then reported as such.
bool NamesTable(const std::string& path) {
  const size_t colon = path.find_last_of(':');
  if (colon == std::string::npos) return false;
  const std::string db = path.substr(0, colon);
  return IsSqlitePath(db) ||
         (IsPostgresTarget(db) && ValidateIdentifier(path.substr(colon + 1)).ok());
}

absl::StatusOr<Inspection> Inspect(const InspectOptions& options) {
  const bool table = NamesTable(options.path);
  if (!options.query.empty() || table) {
    if (!options.query.empty() && table) {
      return absl::InvalidArgumentError("give either file.db:table or --query, not both");
    }
    return InspectDatabase(options);
  }
  absl::StatusOr<char> delimiter = PickDelimiter(options);
  if (!delimiter.ok()) return delimiter.status();
  return InspectDelimited(options, *delimiter);
}

// A bare database: its tables (not the database's own) with their row counts, by name.
absl::StatusOr<TableListing> ListTables(const std::string& path) {
  absl::StatusOr<std::unique_ptr<DatabaseReader>> db = DatabaseReader::Open(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<std::vector<std::string>> names = (*db)->Tables();
  if (!names.ok()) return names.status();
  Column tables(DataType::kString);
  Column rows(DataType::kInt64);
  for (const std::string& table : *names) {
    absl::StatusOr<int64_t> count = (*db)->CountRows(table);
    if (!count.ok()) return count.status();
    tables.AppendString(table);
    rows.AppendInt64(*count);
  }
  return TableListing{(*db)->Describe(), Frame({"table", "rows"}, {std::move(tables), std::move(rows)})};
}

int RunListTables(const InspectOptions& options) {
  absl::StatusOr<TableListing> listing = ListTables(options.path);
  if (!listing.ok()) {
    std::fprintf(stderr, "gym inspect: %s\n", std::string(listing.status().message()).c_str());
    return 1;
  }
  std::string out;
  if (options.format == "json") {
    out = FormatTableListingJson(*listing);
  } else if (options.format == "csv") {
    std::fputs(FormatTableListingSummary(*listing).c_str(), stderr);
    out = FormatCsv(listing->tables);
  } else {
    out = FormatTableListing(*listing);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int RunInspect(const InspectOptions& options) {
  if (options.query.empty() && !NamesTable(options.path) && IsDatabase(options.path)) {
    return RunListTables(options);
  }
  absl::StatusOr<Inspection> inspection = Inspect(options);
  if (!inspection.ok()) {
    std::fprintf(stderr, "gym inspect: %s\n", std::string(inspection.status().message()).c_str());
    return 1;
  }
  std::string out;
  if (options.format == "json") {
    out = FormatInspectionJson(*inspection);
  } else if (options.format == "csv") {
    std::fputs(FormatInspectionSummary(*inspection).c_str(), stderr);
    out = FormatCsv(inspection->head);
  } else {
    out = FormatInspectionTable(*inspection);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void RegisterInspectCommand(CLI::App& app, CommandRegistry& registry) {
  CLI::App* sub = app.add_subcommand(
      "inspect",
      "Show the schema, row count and first rows of a CSV/TXT file, a database table "
      "(file.db:table, postgresql://...:table) or a query (file.db --query \"SELECT ...\"); "
      "for a database alone, its tables and their row counts");
  auto options = std::make_shared<InspectOptions>();
  sub->add_option("path", options->path,
                  "file.csv, file.txt, file.tsv, file.db:table, file.db, or a PostgreSQL\n"
                  "connection string (postgresql://...), alone or with :table")
      ->required();
  sub->add_option("--rows", options->rows, "how many of the first rows to show")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, 1'000'000));
  sub->add_option("--format", options->format,
                  "table, json, or csv (the rows as CSV on stdout, the summary on stderr)")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "csv", "json"}));
  sub->add_option("--delimiter", options->delimiter,
                  "field delimiter: one character or 'tab' (default from the extension: "
                  ".csv and .txt comma, .tsv tab)")
      ->check(
          [](const std::string& d) -> std::string {
            if (d.size() == 1 || d == "tab" || d == "\\t") return {};
            return "must be one character or 'tab', got '" + d + "'";
          },
          "CHAR or tab");
  sub->add_option("--query", options->query, "SELECT to run on the database PATH");
  registry.Add(sub, [options] { return RunInspect(*options); });
}

}  // namespace gym
