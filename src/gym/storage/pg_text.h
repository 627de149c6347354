// PostgreSQL text forms: a Frame column as one array parameter for unnest(), and the SQL type
// each DataType is stored as. Kept apart from the backend so they can be tested without a
// server.
//
//   PgArray(frame.column("valor"), {0, 2})  // "{10.5,NULL}"
#ifndef GYM_STORAGE_PG_TEXT_H_
#define GYM_STORAGE_PG_TEXT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "gym/frame/column.h"

namespace gym {

// "bigint", "double precision" or "text".
const char* PgTypeOf(DataType type);

// The array literal of `column`'s cells at `rows`, in that order: strings double-quoted with
// `"` and `\` escaped, doubles exact (the shortest text that reads back as the same double;
// NaN and Infinity spelled as PostgreSQL reads them), nulls as NULL.
std::string PgArray(const Column& column, const std::vector<size_t>& rows);
// One cell of such a literal, appended to `out`.
void AppendPgCell(std::string& out, const Column& column, size_t row);

// The first line of a libpq/libpqxx message (they go on with hints and context), for a
// status message or a log line.
std::string PgFirstLine(const char* message);

}  // namespace gym

#endif  // GYM_STORAGE_PG_TEXT_H_
