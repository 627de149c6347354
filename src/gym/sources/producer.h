// ProducerHandler: the entry node of a pipeline (the seed's adapted producers).
//
// Its input is either a file request, a Frame of one row whose columns are `path` (text) and
// optionally `query` or `table` and `batch_id`, or in-memory records (any other Frame,
// passed through as the gRPC server hands them over). A file request is read by extension:
// .csv with the CSV source, .txt with the delimited TXT source, .db with the SQLite source
// (`query` runs a SELECT, `table` reads a whole table).
//
// Every produced row gets a `batch_id` (the one given at construction, else the request's or
// the records' own, else a generated one) and an `event_id` ("<batch_id>:<row index>" where
// absent), so a retried batch maps to the same event ids. A request that cannot be served
// fails the message with a status naming the file: FAILED_PRECONDITION when the file is
// missing or not readable, INVALID_ARGUMENT when its content or the request is not usable (a
// malformed CSV, an unknown extension, a required column absent or of the wrong type), and
// the reader's own code otherwise (UNAVAILABLE for a database locked past its timeout).
//
//   absl::StatusOr<Frame> scores = producer.Handle(FileRequest("data/scores.csv"));
//   absl::StatusOr<Frame> clients = producer.Handle(SqliteTableRequest("data/mock.db", "clients"));
//   absl::StatusOr<Frame> stamped = producer.Handle(Frame::FromRecords(records));
#ifndef GYM_SOURCES_PRODUCER_H_
#define GYM_SOURCES_PRODUCER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/frame/schema.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

struct ProducerOptions {
  std::string batch_id;      // empty: from the input, else generated per message
  char txt_delimiter = ',';  // of .txt files
  // Columns a file must have, with their types (checked after reading, before anything is
  // produced). A file without one, or with a value of the wrong type (text in a number
  // column, a fraction in an integer one), fails, naming the file, the column and the first
  // bad row, instead of reaching the tables. Integer values in a double column are widened;
  // a kString field accepts any values.
  std::vector<Field> required_columns;
};

// Builders of file requests.
Frame FileRequest(const std::string& path);
Frame SqliteTableRequest(const std::string& db_path, const std::string& table);
Frame SqliteQueryRequest(const std::string& db_path, const std::string& query);

// True when `input` is a file request rather than records.
bool IsFileRequest(const Frame& input);

class ProducerHandler final : public Handler {
 public:
  explicit ProducerHandler(ProducerOptions options = {});

  absl::StatusOr<Frame> Handle(Frame input) override;

 private:
  std::string NewBatchId();

  const ProducerOptions options_;
  const uint64_t instance_;  // random per handler, so generated batch ids never repeat
  std::atomic<uint64_t> next_batch_{0};
};

// The source parts of pipeline files, each a ProducerHandler:
//   file          reads a dropped .csv, .txt or .db file; `columns` are the columns (and
//                 types) it must have
//   sqlite_table  reads one table of a dropped SQLite file
//   records       passes in-memory rows on (what a caller or the gRPC server submits)
// The first two take the files their `match` globs name (and `exclude` does not).
PartInfo FileSourcePart();
PartInfo SqliteTableSourcePart();
PartInfo RecordsSourcePart();

// True when a source with these options takes the file at `path`: its name matches one of
// the `match` globs and none of the `exclude` ones. False for a source without `match`.
bool SourceTakesFile(const PartOptions& options, const std::string& path);

}  // namespace gym

#endif  // GYM_SOURCES_PRODUCER_H_
