#include "gym/sources/producer.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/sources/csv_source.h"
#include "gym/testing/status_matchers.h"
#include "sqlite3.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::StatusIs;

std::string TempDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/gym_producer_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ProducerHandler, RecordsGetBatchAndEventIds) {
  struct Case {
    std::string name;
    ProducerOptions options;
    Frame input;
    std::vector<std::string> batch_ids;
    std::vector<std::string> event_ids;
  };
  Column partial_events = Column::Strings({"client-ev", ""});
  partial_events.SetNull(1);
  std::vector<Case> cases;
  cases.push_back({"given batch id",
                   {.batch_id = "b7"},
                   Frame({"id"}, {Column::Ints({1, 2})}),
                   {"b7", "b7"},
                   {"b7:0", "b7:1"}});
  cases.push_back({"records carry their batch id",
                   {},
                   Frame({"id", "batch_id"}, {Column::Ints({1, 2}), Column::Strings({"x", "y"})}),
                   {"x", "y"},
                   {"x:0", "y:1"}});
  cases.push_back({"client event ids are kept",
                   {.batch_id = "b"},
                   Frame({"id", "event_id"}, {Column::Ints({1, 2}), partial_events}),
                   {"b", "b"},
                   {"client-ev", "b:1"}});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    ProducerHandler producer(c.options);
    ASSERT_OK_AND_ASSIGN(const Frame out, producer.Handle(c.input));
    EXPECT_EQ(out.column("id").ints(), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(out.column("batch_id").strings(), c.batch_ids);
    EXPECT_EQ(out.column("event_id").strings(), c.event_ids);
  }
}

TEST(ProducerHandler, GeneratedBatchIdsDiffer) {
  ProducerHandler producer;
  Frame input({"id"}, {Column::Ints({1})});
  ASSERT_OK_AND_ASSIGN(const Frame first_out, producer.Handle(input));
  ASSERT_OK_AND_ASSIGN(const Frame second_out, producer.Handle(input));
  const std::string first = first_out.column("batch_id").StringAt(0);
  const std::string second = second_out.column("batch_id").StringAt(0);
  EXPECT_NE(first, second);
  EXPECT_THAT(first, ::testing::StartsWith("batch-"));
}

TEST(ProducerHandler, ReadsFilesByExtension) {
  const std::string dir = TempDir("producer");
  WriteText(dir + "/scores.csv", "cpf,score\n111.222.333-96,700\n123.456.789-09,450\n");
  WriteText(dir + "/new.txt", "id|valor\n5|10.5\n");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/mock.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE clients(id INTEGER, nome TEXT);"
                         "INSERT INTO clients VALUES (1, 'Ana'), (2, 'Bia'), (3, 'Caio');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  struct Case {
    std::string name;
    Frame request;
    size_t rows;
    std::string first_column;
  };
  Frame with_batch({"path", "batch_id"},
                   {Column::Strings({dir + "/scores.csv"}), Column::Strings({"drop-1"})});
  const std::vector<Case> cases = {
      {"csv", FileRequest(dir + "/scores.csv"), 2, "cpf"},
      {"csv with batch id", with_batch, 2, "cpf"},
      {"txt", FileRequest(dir + "/new.txt"), 1, "id"},
      {"db table", SqliteTableRequest(dir + "/mock.db", "clients"), 3, "id"},
      {"db query", SqliteQueryRequest(dir + "/mock.db", "SELECT nome FROM clients WHERE id > 1"), 2,
       "nome"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(IsFileRequest(c.request));
    ProducerHandler producer({.batch_id = {}, .txt_delimiter = '|'});
    absl::StatusOr<Frame> out = producer.Handle(c.request);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->num_rows(), c.rows);
    EXPECT_EQ(out->column_names().front(), c.first_column);
    const std::string batch = out->column("batch_id").StringAt(0);
    if (c.request.HasColumn("batch_id")) {
      EXPECT_EQ(batch, "drop-1");
    }
    EXPECT_EQ(out->column("event_id").StringAt(c.rows - 1),
              batch + ":" + std::to_string(c.rows - 1));
  }
}

TEST(ProducerHandler, UnreadableFilesFailTheMessageWithACodeNamingTheFile) {
  const std::string dir = TempDir("producer_bad");
  WriteText(dir + "/ragged.csv", "a,b\n1\n");
  struct Case {
    std::string name;
    Frame request;
    absl::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      // The file is not there: the folder must change, not the request.
      {"missing", FileRequest(dir + "/nope.csv"), absl::StatusCode::kFailedPrecondition,
       "nope.csv"},
      {"a folder", FileRequest(dir), absl::StatusCode::kInvalidArgument, "unknown file type"},
      {"ragged", FileRequest(dir + "/ragged.csv"), absl::StatusCode::kInvalidArgument,
       "ragged.csv:2"},
      {"extension", FileRequest(dir + "/data.parquet"), absl::StatusCode::kInvalidArgument,
       "unknown file type '.parquet'"},
      {"db without table", FileRequest(dir + "/x.db"), absl::StatusCode::kInvalidArgument,
       "needs a 'query' or a 'table'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ProducerHandler producer;
    EXPECT_THAT(producer.Handle(c.request), StatusIs(c.code, HasSubstr(c.message)));
  }
}

TEST(ProducerHandler, RequiredColumnsNameTheFileAndWhatIsMissing) {
  const std::string dir = TempDir("producer_required");
  WriteText(dir + "/scores.csv", "cpf,score\n111.444.777-35,500\n");
  const Field cpf{"cpf", DataType::kString}, score{"score", DataType::kInt64};
  ProducerHandler strict(
      ProducerOptions{.required_columns = {cpf, score, {"renda_mensal", DataType::kDouble}}});
  absl::StatusOr<Frame> out = strict.Handle(FileRequest(dir + "/scores.csv"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("scores.csv: missing column(s) renda_mensal (the file has: cpf, score)"));
  // The columns it has are enough for a producer that asks for no more; records are not checked.
  ProducerHandler lenient(ProducerOptions{.required_columns = {cpf, score}});
  out = lenient.Handle(FileRequest(dir + "/scores.csv"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->num_rows(), 1u);
  EXPECT_TRUE(strict.Handle(Frame({"cpf"}, {Column::Strings({"x"})})).ok());
}

TEST(ProducerHandler, RequiredTypesNameTheFirstBadRowAndWidenIntegers) {
  const std::string dir = TempDir("producer_types");
  const ProducerOptions options{.required_columns = {{"id", DataType::kInt64},
                                                     {"valor", DataType::kDouble},
                                                     {"moeda", DataType::kString}}};
  struct Case {
    std::string name;
    std::string text;
    std::string message;  // empty: accepted
  };
  const std::vector<Case> cases = {
      {"text in a number column", "id,valor,moeda\n1,10.5,BRL\n2,abc,BRL\n",
       "data row 2: column 'valor': 'abc' is not a number"},
      {"fraction in an integer column", "id,valor,moeda\n1,1,BRL\n2.5,2,BRL\n",
       "data row 2: column 'id': '2.5' is not an integer"},
      {"not finite", "id,valor,moeda\n1,inf,BRL\n", "column 'valor': 'inf' is not a number"},
      {"integers widened", "id,valor,moeda\n1,10,BRL\n2,,USD\n", ""},
      {"whole doubles narrowed", "id,valor,moeda\n1.0,1.5,BRL\n", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    WriteText(dir + "/t.csv", c.text);
    ProducerHandler producer(options);
    absl::StatusOr<Frame> out = producer.Handle(FileRequest(dir + "/t.csv"));
    if (!c.message.empty()) {
      ASSERT_FALSE(out.ok());
      EXPECT_THAT(std::string(out.status().message()), HasSubstr("t.csv: "));
      EXPECT_THAT(std::string(out.status().message()), HasSubstr(c.message));
      continue;
    }
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->column("valor").type(), DataType::kDouble);
    EXPECT_EQ(out->column("id").type(), DataType::kInt64);
    EXPECT_EQ(out->column("id").Int64At(0), 1);
  }
  // The null valor of "integers widened" stays null.
  WriteText(dir + "/t.csv", "id,valor,moeda\n1,10,BRL\n2,,USD\n");
  ProducerHandler producer(options);
  absl::StatusOr<Frame> out = producer.Handle(FileRequest(dir + "/t.csv"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_DOUBLE_EQ(out->column("valor").DoubleAt(0), 10.0);
  EXPECT_FALSE(out->column("valor").IsValid(1));
}

}  // namespace
}  // namespace gym
