// SqliteSink, the pipeline leaf over a GroupCommitWriter, and its part for pipeline files.
#include "gym/sinks/sqlite_sink.h"

#include <algorithm>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "fmt/ranges.h"

namespace gym {

SqliteSink::SqliteSink(GroupCommitWriter& writer, TableOptions table,
                       std::optional<std::string> rejected_table, std::vector<Field> schema)
    : writer_(writer), table_(std::move(table)), schema_(std::move(schema)) {
  if (rejected_table && table_.unique_key) {
    // A key ends up in one of the two tables only: storing an event evicts its rejection,
    // and a rejection of an event already stored is not recorded.
    table_.evict_keys_from = *rejected_table;
    // Rows are deleted from the rejected table (the eviction above), so its key keeps
    // SQLite's UNIQUE index rather than the key index, which is for tables that only grow.
    rejected_ = TableOptions{.table = *rejected_table,
                             .unique_key = table_.unique_key,
                             .skip_keys_in = table_.table,
                             .unique_index = TableOptions::UniqueIndex::kSqlite};
  }
}

void SqliteSink::HandleAsync(Frame input, const MessageContext& context, Done done) {
  if (context.expected_rows && static_cast<int64_t>(input.num_rows()) != *context.expected_rows) {
    done(absl::InternalError(fmt::format("{} of {} accepted rows reached the {} sink",
                                         input.num_rows(), *context.expected_rows, table_.table)));
    return;
  }
  // A declared table gets its declared columns: rows without one would be stored with
  // NULLs that nothing meant (a source that declares no columns lets any file through).
  if (input.num_rows() > 0) {
    for (const Field& f : schema_) {
      if (!input.HasColumn(f.name)) {
        done(absl::InvalidArgumentError(fmt::format(
            "the {} sink's schema declares column '{}', which this message lacks (it has: {})",
            table_.table, f.name, fmt::join(input.column_names(), ", "))));
        return;
      }
    }
  }
  std::vector<std::pair<TableOptions, Frame>> parts;
  parts.emplace_back(table_, std::move(input));
  const bool with_rejected = context.rejected.has_value();
  if (with_rejected) {
    if (!rejected_) {
      done(absl::FailedPreconditionError(fmt::format(
          "the {} sink has no rejected table for the batch's rejected items", table_.table)));
      return;
    }
    // The context is shared and read-only: the rejected rows are copied once, here.
    parts.emplace_back(*rejected_, *context.rejected);
  }
  writer_.WriteAll(std::move(parts), [counters = counters_, report = context.report,
                                      with_rejected, done = std::move(done)](
                                         const absl::Status& status, const WriteResult& result) {
    if (status.ok()) {
      // A write of several parts reports each in `parts`; of one part, directly.
      const WriteResult& rows = result.parts.empty() ? result : result.parts.front();
      counters->inserted.fetch_add(rows.inserted);
      counters->ignored.fetch_add(rows.ignored);
      report->inserted.store(rows.inserted, std::memory_order_relaxed);
      report->duplicates.store(rows.ignored, std::memory_order_relaxed);
      if (with_rejected) {
        report->rejected_known.store(result.parts.back().elsewhere, std::memory_order_relaxed);
      }
      report->stored.store(true, std::memory_order_release);
    }
    done(status);
  });
}

absl::Status SqliteSink::Open() {
  if (schema_.empty()) return absl::OkStatus();
  // An empty frame of the declared schema: the writer creates (or extends) the table and its
  // unique index and inserts nothing.
  std::promise<absl::Status> created;
  writer_.Write(table_, Frame::Empty(Schema(schema_)),
                [&created](const absl::Status& s, const WriteResult&) { created.set_value(s); });
  return created.get_future().get();
}

WriteResult SqliteSink::totals() const {
  return WriteResult{counters_->inserted.load(), counters_->ignored.load()};
}

namespace {

// "id:int64" entries as fields; nullopt (and `why`) at the first malformed one.
std::optional<std::vector<Field>> ParseSchema(const std::vector<std::string>& entries,
                                              std::string* why) {
  std::vector<Field> fields;
  for (const std::string& entry : entries) {
    const size_t colon = entry.rfind(':');
    std::optional<DataType> type;
    if (colon != std::string::npos && colon > 0) type = ParseDataType(entry.substr(colon + 1));
    if (!type) {
      *why = fmt::format("schema: '{}' is not name:type (types: int64, double, string)", entry);
      return std::nullopt;
    }
    const std::string name = entry.substr(0, colon);
    for (const Field& f : fields) {
      if (f.name == name) {
        *why = fmt::format("schema: column '{}' is declared twice", name);
        return std::nullopt;
      }
    }
    fields.push_back({name, *type});
  }
  return fields;
}

}  // namespace

PartInfo SqliteSinkPart() {
  return {.type = "sqlite",
          .kind = PartKind::kSink,
          .help = "commits each message to a table of the command's database (group commit); "
                  "a row whose key is already stored is stored once",
          .options = {{.name = "table", .type = OptionType::kString, .help = "the table"},
                      {.name = "key",
                       .type = OptionType::kString,
                       .help = "the unique column (empty: none)",
                       .default_value = std::string("event_id")},
                      {.name = "rejected_table",
                       .type = OptionType::kString,
                       .help = "with a key: where a batch's rejected items go, in the same "
                               "transaction; a stored key leaves it (empty: none)",
                       .default_value = std::string("rejected_events")},
                      {.name = "schema",
                       .type = OptionType::kStringList,
                       .help = "the table's columns, [\"id:int64\", \"nome:string\", ...]: "
                               "checked against what arrives, and created at start (empty: "
                               "from the first rows)",
                       .default_value = std::vector<std::string>{}}},
          .contract =
              [](const PartOptions& o) {
                ColumnContract c;
                if (!o.String("key").empty()) c.reads.push_back({o.String("key"), std::nullopt});
                std::string why;
                c.stores = ParseSchema(o.Strings("schema"), &why).value_or(std::vector<Field>{});
                return c;
              },
          .check =
              [](const PartOptions& o) {
                std::vector<std::string> problems;
                std::string why;
                std::optional<std::vector<Field>> schema = ParseSchema(o.Strings("schema"), &why);
                if (!schema) {
                  problems.push_back(why);
                } else if (!schema->empty() && !o.String("key").empty() &&
                           std::none_of(schema->begin(), schema->end(), [&o](const Field& f) {
                             return f.name == o.String("key");
                           })) {
                  problems.push_back(
                      fmt::format("schema: has no column '{}', the key", o.String("key")));
                }
                return problems;
              },
          .make = [](const std::string&, const PartOptions& o,
                     const PartContext& c) -> MadeHandler {
            GroupCommitWriter* writer = c.Get<GroupCommitWriter>();
            if (writer == nullptr) {
              return absl::FailedPreconditionError(
                  "needs a database, which this command does not provide");
            }
            TableOptions table{o.String("table")};
            if (!o.String("key").empty()) table.unique_key = o.String("key");
            std::optional<std::string> rejected;
            if (!o.String("rejected_table").empty()) rejected = o.String("rejected_table");
            std::string why;
            std::optional<std::vector<Field>> schema = ParseSchema(o.Strings("schema"), &why);
            if (!schema) return absl::InvalidArgumentError(why);
            return std::make_unique<SqliteSink>(*writer, std::move(table), std::move(rejected),
                                                *std::move(schema));
          }};
}

}  // namespace gym
