// A PostgreSQL database read into Frames (see pg_source.h).
#include "gym/sources/pg_source.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gym/storage/identifiers.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/pg_text.h"
#include "pqxx/pqxx"

namespace gym {
namespace {

// The Frame type of a result column, from its type's OID (pg_type.h).
DataType TypeOf(pqxx::oid oid) {
  switch (oid) {
    case 16:  // bool
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
      return DataType::kInt64;
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return DataType::kDouble;
    default:
      return DataType::kString;
  }
}

Frame ToFrame(const pqxx::result& r) {
  std::vector<std::string> names;
  std::vector<Column> columns;
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
    names.emplace_back(r.column_name(c));
    columns.emplace_back(TypeOf(r.column_type(c)));
  }
  for (const auto& row : r) {
    for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
      const pqxx::field f = row[c];
      Column& column = columns[c];
      if (f.is_null()) {
        column.AppendNull();
      } else if (column.type() == DataType::kInt64) {
        const std::string_view text = f.c_str();
        column.AppendInt64(text == "t" ? 1 : text == "f" ? 0 : f.as<int64_t>());
      } else if (column.type() == DataType::kDouble) {
        column.AppendDouble(f.as<double>());
      } else {
        column.AppendString(f.as<std::string>());
      }
    }
  }
  return Frame(std::move(names), std::move(columns));
}

class PgQueryStream final : public QueryStream {
 public:
  PgQueryStream(std::unique_ptr<pqxx::connection> conn, size_t chunk_rows)
      : conn_(std::move(conn)), txn_(*conn_), chunk_rows_(chunk_rows) {}

  absl::Status Declare(const std::string& sql) {
    try {
      txn_.exec(absl::StrCat("DECLARE gym_rows NO SCROLL CURSOR FOR ", sql));
      return absl::OkStatus();
    } catch (const std::exception& e) {
      return absl::InvalidArgumentError(absl::StrCat(PgFirstLine(e.what()), " (query: ", sql, ")"));
    }
  }

  absl::StatusOr<std::optional<Frame>> Next() override {
    if (done_) return std::optional<Frame>();
    try {
      pqxx::result r = txn_.exec(absl::StrCat("FETCH FORWARD ", chunk_rows_, " FROM gym_rows"));
      if (r.empty()) {
        done_ = true;
        if (produced_) return std::optional<Frame>();
      }
      produced_ = true;
      return std::optional<Frame>(ToFrame(r));
    } catch (const std::exception& e) {
      return absl::UnavailableError(PgFirstLine(e.what()));
    }
  }

 private:
  std::unique_ptr<pqxx::connection> conn_;
  pqxx::read_transaction txn_;
  const size_t chunk_rows_;
  bool done_ = false;
  bool produced_ = false;
};

class PgDatabaseReader final : public DatabaseReader {
 public:
  explicit PgDatabaseReader(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  absl::Status Connect() {
    try {
      conn_ = std::make_unique<pqxx::connection>(WithConnectTimeout(conninfo_));
      return absl::OkStatus();
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat(Describe(), " unreachable: ", PgFirstLine(e.what())));
    }
  }

  absl::StatusOr<std::vector<std::string>> Tables() override {
    return Scalar([&](pqxx::nontransaction& n) {
      std::vector<std::string> names;
      for (const auto& row : n.exec(
               "SELECT table_name FROM information_schema.tables WHERE table_schema = "
               "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
        names.push_back(row[0].as<std::string>());
      }
      return names;
    });
  }

  absl::StatusOr<bool> HasTable(const std::string& table) override {
    if (!ValidateIdentifier(table).ok()) return false;
    return Scalar([&](pqxx::nontransaction& n) {
      return !n.exec_params("SELECT to_regclass($1)", QuoteIdentifier(table))[0][0].is_null();
    });
  }

  absl::StatusOr<int64_t> CountRows(const std::string& table) override {
    absl::StatusOr<bool> has = HasTable(table);
    if (!has.ok() || !*has) return has.ok() ? absl::StatusOr<int64_t>(0) : has.status();
    return Scalar([&](pqxx::nontransaction& n) {
      return n.exec(absl::StrCat("SELECT count(*) FROM ", QuoteIdentifier(table)))[0][0]
          .as<int64_t>();
    });
  }

  absl::StatusOr<std::vector<std::string>> Columns(const std::string& table) override {
    return Scalar([&](pqxx::nontransaction& n) {
      std::vector<std::string> names;
      for (const auto& row : n.exec_params(
               "SELECT column_name FROM information_schema.columns WHERE table_schema = "
               "current_schema() AND table_name = $1 ORDER BY ordinal_position",
               table)) {
        names.push_back(row[0].as<std::string>());
      }
      return names;
    });
  }

  absl::StatusOr<std::unique_ptr<QueryStream>> Stream(const std::string& sql,
                                                      size_t chunk_rows) override {
    try {
      // Its own connection: the cursor's transaction stays open while the caller reads.
      auto stream = std::make_unique<PgQueryStream>(
          std::make_unique<pqxx::connection>(WithConnectTimeout(conninfo_)), chunk_rows);
      if (absl::Status s = stream->Declare(sql); !s.ok()) return s;
      return std::unique_ptr<QueryStream>(std::move(stream));
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(Describe(), ": ", PgFirstLine(e.what())));
    }
  }

  std::string Describe() const override { return RedactConninfo(conninfo_); }

 private:
  template <typename F>
  auto Scalar(F f) -> absl::StatusOr<decltype(f(std::declval<pqxx::nontransaction&>()))> {
    try {
      pqxx::nontransaction n(*conn_);
      return f(n);
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(Describe(), ": ", PgFirstLine(e.what())));
    }
  }

  const std::string conninfo_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DatabaseReader>> OpenPgDatabaseReader(const std::string& conninfo) {
  auto reader = std::make_unique<PgDatabaseReader>(conninfo);
  if (absl::Status s = reader->Connect(); !s.ok()) return s;
  return std::unique_ptr<DatabaseReader>(std::move(reader));
}

}  // namespace gym
