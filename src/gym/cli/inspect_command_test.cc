// End to end: runs the built `gym inspect` (env GYM_BINARY) on temporary files and checks
// what it prints and its exit code.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/run_gym.h"
#include "nlohmann/json.hpp"

namespace {

using ::gym::testing::CommandResult;
using ::gym::testing::RunGym;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "/inspect_e2e_" + std::to_string(::getpid()) + "_" + name;
}

// Runs `gym --log-level warn inspect <args>`.
CommandResult Inspect(std::vector<std::string> args) {
  args.insert(args.begin(), {"--log-level", "warn", "inspect"});
  return RunGym(args);
}

class InspectE2e : public testing::Test {
 protected:
  void SetUp() override {
    csv_ = TempPath("new.txt");
    std::string text = "id,cliente_id,data,valor,moeda\n";
    for (int i = 1; i <= 25; ++i) {
      text += std::to_string(i) + ",7,2024-05-0" + std::to_string(i % 9 + 1) + "," +
              std::to_string(i) + ".5," + (i == 2 ? "" : "BRL") + "\n";
    }
    std::ofstream(csv_) << text;
  }
  void TearDown() override { std::remove(csv_.c_str()); }

  std::string csv_;
};

TEST_F(InspectE2e, TableShowsSchemaCountAndFirstRows) {
  CommandResult run = Inspect({csv_, "--rows", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("rows:   25\n"));
  EXPECT_THAT(
      run.out,
      HasSubstr("schema: id:int64, cliente_id:int64, data:string, valor:double, moeda:string\n"));
  EXPECT_THAT(run.out, HasSubstr("2024-05-03 |   2.5 | null"));
  EXPECT_THAT(run.out, HasSubstr("(first 3 of 25 rows)"));
}

TEST_F(InspectE2e, JsonHasPathSchemaRowsAndHead) {
  CommandResult run = Inspect({csv_, "--rows", "2", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["path"], csv_);
  EXPECT_EQ(doc["rows"], 25);
  EXPECT_EQ(doc["schema"][3], (nlohmann::json{{"name", "valor"}, {"type", "double"}}));
  ASSERT_EQ(doc["head"].size(), 2u);
  EXPECT_EQ(doc["head"][0]["id"], 1);
  EXPECT_EQ(doc["head"][1]["valor"], 2.5);
  EXPECT_TRUE(doc["head"][1]["moeda"].is_null());
}

TEST_F(InspectE2e, CsvFormatPrintsTheHeadAsCsv) {
  CommandResult run = Inspect({csv_, "--rows", "2", "--format", "csv"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "id,cliente_id,data,valor,moeda\n1,7,2024-05-02,1.5,BRL\n2,7,2024-05-03,2.5,\n");
  EXPECT_THAT(run.err, HasSubstr("rows:   25"));
}

TEST_F(InspectE2e, SqliteTableAndQuery) {
  const std::string db = TempPath("mock.db");
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE clients (id INTEGER, nome TEXT);"
                         "INSERT INTO clients VALUES (1, 'Ana'), (2, 'João'), (3, NULL);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  CommandResult table = Inspect({db + ":clients", "--format", "json"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(nlohmann::json::parse(table.out)["rows"], 3);
  CommandResult query = Inspect({db, "--query", "SELECT nome FROM clients WHERE id > 1"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_THAT(query.out, HasSubstr("rows:   2\nschema: nome:string\n"));
  CommandResult injected = Inspect({db + ":clients; DROP TABLE clients"});
  EXPECT_NE(injected.exit_code, 0);
  EXPECT_THAT(injected.err, HasSubstr("bad table name"));
  std::remove(db.c_str());
}

// A database file without a table lists its tables and their row counts (it used to fail).
TEST_F(InspectE2e, BareDatabaseListsItsTables) {
  const std::string db = TempPath("tables.db");
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE clients (id INTEGER);"
                         "INSERT INTO clients VALUES (1), (2), (3);"
                         "CREATE TABLE \"Odd Name\" (x);"
                         "CREATE TABLE scores (cpf TEXT PRIMARY KEY) WITHOUT ROWID;"
                         "INSERT INTO scores VALUES ('a');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  CommandResult table = Inspect({db});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("tables: 3\n"));
  EXPECT_THAT(table.out, HasSubstr("Odd Name |    0\n"));
  EXPECT_THAT(table.out, HasSubstr("clients  |    3\n"));
  EXPECT_THAT(table.out, HasSubstr("scores   |    1\n"));
  CommandResult json = Inspect({db, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["tables"].size(), 3u);
  EXPECT_EQ(doc["tables"][1], (nlohmann::json{{"name", "clients"}, {"rows", 3}}));
  CommandResult csv = Inspect({db, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "table,rows\nOdd Name,0\nclients,3\nscores,1\n");
  CommandResult missing = Inspect({TempPath("absent.db")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr(TempPath("absent.db")));
  std::remove(db.c_str());
}

TEST_F(InspectE2e, SqliteTableLargerThanAChunkIsCountedWhole) {
  const std::string db = TempPath("big.db");
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  // 100,000 rows: more than one 65,536-row chunk; valor turns from integer to real late.
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE t (id INTEGER, valor);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 100000) INSERT INTO t SELECT i, CASE WHEN i > 90000 "
                         "THEN i + 0.5 ELSE i END FROM n;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  CommandResult run = Inspect({db + ":t", "--rows", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("rows:   100000\nschema: id:int64, valor:double\n"));
  EXPECT_THAT(run.out, HasSubstr("(first 2 of 100000 rows)"));
  std::remove(db.c_str());
}

TEST_F(InspectE2e, BadInputFailsWithAClearMessage) {
  const std::string ragged = TempPath("ragged.csv");
  std::ofstream(ragged) << "a,b\n1,2\n3\n";
  const struct {
    std::vector<std::string> args;
    std::string error;
  } cases[] = {
      {{TempPath("missing.csv")}, "gym inspect: " + TempPath("missing.csv") + ": "},
      {{ragged}, "gym inspect: " + ragged + ":3: expected 2 fields, found 1"},

      {{TempPath("x.parquet")}, "unknown file type"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.back());
    CommandResult run = Inspect(c.args);
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_THAT(run.err, HasSubstr(c.error));
    EXPECT_EQ(run.out, "");
  }
  std::remove(ragged.c_str());
}

// A bad flag value is a usage error (2), not a failed job (1).
TEST_F(InspectE2e, BadDelimiterIsAUsageError) {
  CommandResult run = Inspect({csv_, "--delimiter", "ab"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--delimiter: must be one character or 'tab', got 'ab'"));
}

}  // namespace
