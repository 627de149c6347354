// QueryStream: a query's rows, a chunk of Frames at a time, whatever database they come from
// (SqliteReader, PgReader; DatabaseReader::Stream picks one).
//
//   while (auto chunk = stream->Next(); chunk.ok() && chunk->has_value()) Use(**chunk);
#ifndef GYM_SOURCES_QUERY_STREAM_H_
#define GYM_SOURCES_QUERY_STREAM_H_

#include <optional>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"

namespace gym {

class QueryStream {
 public:
  virtual ~QueryStream() = default;
  // The next chunk; std::nullopt once the rows are exhausted. A query with no rows yields one
  // empty Frame (with the result's column names) before std::nullopt.
  [[nodiscard]] virtual absl::StatusOr<std::optional<Frame>> Next() = 0;
};

}  // namespace gym

#endif  // GYM_SOURCES_QUERY_STREAM_H_
