// SqliteSink (the pipeline leaf over a GroupCommitWriter) and the synchronous WriteSqliteTable.
#include "gym/sinks/sqlite_sink.h"

#include <memory>
#include <utility>

namespace gym {

SqliteSink::SqliteSink(GroupCommitWriter& writer, TableOptions table)
    : writer_(writer), table_(std::move(table)) {}

void SqliteSink::HandleAsync(Frame input, Done done) {
  writer_.Write(table_, std::move(input),
                [counters = counters_, done = std::move(done)](const absl::Status& status,
                                                               const WriteResult& result) {
                  if (status.ok()) {
                    counters->inserted.fetch_add(result.inserted);
                    counters->ignored.fetch_add(result.ignored);
                  }
                  done(status);
                });
}

WriteResult SqliteSink::totals() const {
  return WriteResult{counters_->inserted.load(), counters_->ignored.load()};
}

absl::Status WriteSqliteTable(const std::string& db_path, const TableOptions& table,
                              const Frame& frame) {
  absl::StatusOr<SqliteConnection> db = OpenForWriting(db_path);
  if (!db.ok()) return db.status();
  absl::StatusOr<SqliteTransaction> txn =
      SqliteTransaction::Begin(*db, SqliteTransaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  SqliteTableWriter writer(*db);
  absl::StatusOr<WriteResult> result = writer.Insert(table, frame);
  if (!result.ok()) return result.status();  // the transaction rolls back on destruction
  return txn->Commit();
}

PartInfo SqliteSinkPart() {
  return {.type = "sqlite",
          .kind = PartKind::kSink,
          .help = "commits each message to a table of the command's database (group commit); "
                  "a row whose key is already stored is stored once",
          .options = {{.name = "table", .type = OptionType::kString, .help = "the table"},
                      {.name = "key",
                       .type = OptionType::kString,
                       .help = "the unique column (empty: none)",
                       .default_value = std::string("event_id")}},
          .contract =
              [](const PartOptions& o) {
                ColumnContract c;
                if (!o.String("key").empty()) c.reads.push_back({o.String("key"), std::nullopt});
                return c;
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
            return std::make_unique<SqliteSink>(*writer, std::move(table));
          }};
}

}  // namespace gym
