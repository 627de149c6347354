// The whole mock data set: sizes and ids, references between tables, determinism across
// runs and thread counts, and the files WriteMockData leaves behind.
#include "gym/datagen/mock_dataset.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "gym/datagen/cpf_sequence.h"
#include "gym/datagen/frames.h"
#include "gym/datagen/internal/test_files.h"
#include "gym/domain/cpf.h"
#include "oneapi/tbb/global_control.h"

namespace gym {
namespace {

using testing_files::DumpSqliteTable;
using testing_files::ReadFileBytes;
using testing_files::ScratchDir;

MockDataOptions SmallOptions(uint64_t seed) {
  MockDataOptions o;
  o.clients = 700;
  o.transactions = 3000;
  o.new_transactions = 400;
  o.labeled = 500;
  o.seed = seed;
  o.today = Date{2026, 11, 26};
  return o;
}

TEST(MockDataSetTest, SizesIdsAndReferences) {
  const MockDataOptions o = SmallOptions(1);
  const MockDataSet data = GenerateMockData(o);
  ASSERT_EQ(data.clients.size(), 700u);
  ASSERT_EQ(data.scores.size(), 700u);
  ASSERT_EQ(data.transactions.size(), 3000u);
  ASSERT_EQ(data.new_transactions.size(), 400u);
  ASSERT_EQ(data.labeled.size(), 500u);
  std::set<std::string> cpfs;
  for (size_t i = 0; i < data.clients.size(); ++i) {
    EXPECT_EQ(data.clients[i].id, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(data.scores[i].cpf, data.clients[i].cpf);
    EXPECT_TRUE(IsValidCpf(data.clients[i].cpf));
    cpfs.insert(data.clients[i].cpf);
  }
  EXPECT_EQ(cpfs.size(), data.clients.size());
  std::set<int64_t> transaction_ids;
  for (const auto* rows : {&data.transactions, &data.new_transactions}) {
    for (const MockTransaction& t : *rows) {
      EXPECT_TRUE(transaction_ids.insert(t.id).second) << "repeated transaction id " << t.id;
      EXPECT_GE(t.cliente_id, 1);
      EXPECT_LE(t.cliente_id, o.clients);
    }
  }
  EXPECT_EQ(*transaction_ids.begin(), 1);
  EXPECT_EQ(*transaction_ids.rbegin(), 3400);
  for (size_t i = 0; i < data.labeled.size(); ++i) {
    EXPECT_EQ(data.labeled[i].t.id, static_cast<int64_t>(i) + 1);
    EXPECT_GE(data.labeled[i].t.cliente_id, 1);
    EXPECT_LE(data.labeled[i].t.cliente_id, o.clients);
  }
}

TEST(MockDataSetTest, SameSeedSameFramesAtAnyThreadCount) {
  const MockDataSet parallel = GenerateMockData(SmallOptions(5));
  MockDataSet serial;
  {
    tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    serial = GenerateMockData(SmallOptions(5));
  }
  EXPECT_EQ(ClientsFrame(parallel.clients), ClientsFrame(serial.clients));
  EXPECT_EQ(ScoresFrame(parallel.scores), ScoresFrame(serial.scores));
  EXPECT_EQ(TransactionsFrame(parallel.transactions), TransactionsFrame(serial.transactions));
  EXPECT_EQ(NewTransactionsFrame(parallel.new_transactions),
            NewTransactionsFrame(serial.new_transactions));
  EXPECT_EQ(LabeledFrame(parallel.labeled), LabeledFrame(serial.labeled));

  const MockDataSet other = GenerateMockData(SmallOptions(6));
  EXPECT_FALSE(ClientsFrame(parallel.clients) == ClientsFrame(other.clients));
  EXPECT_FALSE(TransactionsFrame(parallel.transactions) == TransactionsFrame(other.transactions));
}

TEST(MockDataSetTest, FramesHaveTheSeedColumns) {
  const MockDataSet data = GenerateMockData(SmallOptions(2));
  const struct {
    Frame frame;
    std::vector<std::string> columns;
  } cases[] = {
      {ClientsFrame(data.clients), {"id", "nome", "cpf", "data_nascimento", "endereco"}},
      {TransactionsFrame(data.transactions),
       {"id", "cliente_id", "data", "valor", "moeda", "categoria"}},
      {NewTransactionsFrame(data.new_transactions), {"id", "cliente_id", "data", "valor", "moeda"}},
      {ScoresFrame(data.scores),
       {"cpf", "score", "renda_mensal", "limite_credito", "data_ultima_atualizacao"}},
      {LabeledFrame(data.labeled), {"id", "cliente_id", "data", "valor", "moeda", "suspeita"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.columns.front() + "...");
    EXPECT_EQ(c.frame.column_names(), c.columns);
  }
  EXPECT_EQ(TransactionsFrame(data.new_transactions).column("categoria").NullCount(),
            data.new_transactions.size());
}

TEST(MockDataSetTest, WrittenFilesAreIdenticalForTheSameSeed) {
  const ScratchDir a("write_a");
  const ScratchDir b("write_b");
  ASSERT_TRUE(GenerateMockDataFiles(SmallOptions(9), a.path(), nullptr).ok());
  int steps = 0;
  ASSERT_TRUE(GenerateMockDataFiles(SmallOptions(9), b.path(), [&](const MockDataProgress& p) {
                EXPECT_EQ(p.done, ++steps);
                EXPECT_EQ(p.total, 6);
              }).ok());
  EXPECT_EQ(steps, 6);
  const struct {
    const char* file;
    const char* header;
  } files[] = {
      {"new_transactions.txt", "id,cliente_id,data,valor,moeda\n"},
      {"scores.csv", "cpf,score,renda_mensal,limite_credito,data_ultima_atualizacao\n"},
      {"labeled_transactions.csv", "id,cliente_id,data,valor,moeda,suspeita\n"},
  };
  for (const auto& f : files) {
    SCOPED_TRACE(f.file);
    const std::string bytes = ReadFileBytes(a / f.file);
    EXPECT_EQ(bytes.rfind(f.header, 0), 0u) << bytes.substr(0, 80);
    EXPECT_EQ(bytes, ReadFileBytes(b / f.file));
  }
  for (const char* table : {"clients", "transactions"}) {
    SCOPED_TRACE(table);
    const std::string dump = DumpSqliteTable(a / "mock.db", table, "id");
    EXPECT_EQ(dump.rfind("<error", 0), std::string::npos) << dump;
    EXPECT_EQ(dump, DumpSqliteTable(b / "mock.db", table, "id"));
  }
}

TEST(MockDataSetTest, RewritingReplacesTheDatabase) {
  const ScratchDir dir("rewrite");
  ASSERT_TRUE(GenerateMockDataFiles(SmallOptions(3), dir.path(), nullptr).ok());
  const std::string first = DumpSqliteTable(dir / "mock.db", "clients", "id");
  ASSERT_TRUE(GenerateMockDataFiles(SmallOptions(3), dir.path(), nullptr).ok());
  // Appending instead of replacing would double every row.
  EXPECT_EQ(DumpSqliteTable(dir / "mock.db", "clients", "id"), first);
}

TEST(MockDataSetTest, ValidationNamesTheBadOption) {
  const struct {
    const char* name;
    void (*change)(MockDataOptions&);
    const char* mentions;
  } cases[] = {
      {"negative clients", [](MockDataOptions& o) { o.clients = -1; }, "--clients"},
      {"negative labeled", [](MockDataOptions& o) { o.labeled = -5; }, "--labeled"},
      {"no clients", [](MockDataOptions& o) { o.clients = 0; }, "--clients is 0"},
      {"too many clients",
       [](MockDataOptions& o) { o.clients = static_cast<int64_t>(CpfSequence::kCapacity); },
       "distinct CPFs"},
      {"bad today",
       [](MockDataOptions& o) {
         o.today = Date{2026, 2, 30};
       },
       "--today"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MockDataOptions o = SmallOptions(1);
    c.change(o);
    const absl::Status st = ValidateMockDataOptions(o);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find(c.mentions), std::string::npos) << st.message();
  }
  MockDataOptions empty = SmallOptions(1);
  empty.clients = empty.transactions = empty.new_transactions = empty.labeled = 0;
  EXPECT_TRUE(ValidateMockDataOptions(empty).ok());
}

}  // namespace
}  // namespace gym
