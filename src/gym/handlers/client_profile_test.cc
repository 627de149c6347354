#include "gym/handlers/client_profile.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_util::StatusIs;

const MetricOptions kQuiet{.quiet = true, .max_printed_rows = 20, .reporter = {}};

Frame Clients() {
  return Frame({"id", "nome", "cpf"},
               {Column::Ints({2, 1, 3}), Column::Strings({"ANA", "BIA", "CAIO"}),
                Column::Strings({"222", "111", "333"})});
}

// Client 1: three transactions over 60 days; client 2: two on one day; client 3: none.
// Client 9 is not (yet) a client.
Frame Transactions() {
  return Frame({"id", "cliente_id", "data", "valor"},
               {Column::Ints({10, 11, 12, 13, 14, 15}), Column::Ints({1, 1, 1, 2, 2, 9}),
                Column::Strings({"2026-01-01", "2026-03-02", "2026-02-01", "2026-05-05",
                                 "2026-05-05", "2026-05-05"}),
                Column::Doubles({100, 200, 300, 40, 60, 1})});
}

// Scores for clients 1 (band 800+), 2 (band 500-649) and an unknown cpf.
Frame Scores() {
  return Frame({"cpf", "score", "renda_mensal"},
               {Column::Strings({"111", "222", "999"}), Column::Ints({850, 500, 700}),
                Column::Doubles({2000, 3000, 1000})});
}

TEST(LoanLimit, FactorOfTheScoreBandTimesIncome) {
  struct Case {
    int64_t score;
    double limit;
  };
  for (const Case& c : std::vector<Case>{{300, 0},
                                         {499, 0},
                                         {500, 1000},
                                         {649, 1000},
                                         {650, 2000},
                                         {799, 2000},
                                         {800, 3000},
                                         {900, 3000}}) {
    SCOPED_TRACE(c.score);
    EXPECT_DOUBLE_EQ(LoanLimit(c.score, 1000.0), c.limit);
  }
}

TEST(ClientProfile, JoinsTheThreeInputsPerClient) {
  ClientProfileHandler profiles("valor", kQuiet);
  ASSERT_OK(profiles.Handle(Clients()));
  ASSERT_OK(profiles.Handle(Transactions()));
  ASSERT_OK_AND_ASSIGN(const Frame out, profiles.Handle(Scores()));
  EXPECT_THAT(out.column("cliente_id").ints(), ElementsAre(1, 2, 3));
  EXPECT_THAT(out.column("cpf").strings(), ElementsAre("111", "222", "333"));
  EXPECT_THAT(out.column("transacoes").ints(), ElementsAre(3, 2, 0));
  EXPECT_THAT(out.column("saldo").doubles(), ElementsAre(600.0, 100.0, 0.0));
  EXPECT_DOUBLE_EQ(out.column("valor_medio").DoubleAt(0), 200.0);
  EXPECT_DOUBLE_EQ(out.column("valor_medio").DoubleAt(1), 50.0);
  EXPECT_FALSE(out.column("valor_medio").IsValid(2));
  // 2026-01-01 to 2026-03-02 is 60 days: 3 x 30 / 60. One day counts as 30 days: 2 x 30 / 30.
  EXPECT_DOUBLE_EQ(out.column("frequencia_30d").DoubleAt(0), 1.5);
  EXPECT_DOUBLE_EQ(out.column("frequencia_30d").DoubleAt(1), 2.0);
  EXPECT_FALSE(out.column("frequencia_30d").IsValid(2));
  EXPECT_EQ(out.column("score").Int64At(0), 850);
  EXPECT_DOUBLE_EQ(out.column("limite_emprestimo").DoubleAt(0), 6000.0);  // 3 x 2000
  EXPECT_DOUBLE_EQ(out.column("limite_emprestimo").DoubleAt(1), 3000.0);  // 1 x 3000
  EXPECT_FALSE(out.column("score").IsValid(2));
  EXPECT_FALSE(out.column("limite_emprestimo").IsValid(2));
  EXPECT_EQ(profiles.result(), out);
  EXPECT_EQ(profiles.rejected_rows(), 0u);
}

// Transactions and scores that come before their client are kept, not lost.
TEST(ClientProfile, OrderOfArrivalDoesNotMatter) {
  ClientProfileHandler clients_first("valor", kQuiet);
  ASSERT_OK(clients_first.Handle(Clients()));
  ASSERT_OK(clients_first.Handle(Transactions()));
  ASSERT_OK_AND_ASSIGN(const Frame expected, clients_first.Handle(Scores()));

  ClientProfileHandler clients_last("valor", kQuiet);
  ASSERT_OK_AND_ASSIGN(const Frame scores_only, clients_last.Handle(Scores()));
  EXPECT_EQ(scores_only.num_rows(), 0u);
  ASSERT_OK_AND_ASSIGN(const Frame no_client, clients_last.Handle(Transactions().Slice(0, 3)));
  EXPECT_EQ(no_client.num_rows(), 0u);
  ASSERT_OK(clients_last.Handle(Clients()));
  ASSERT_OK_AND_ASSIGN(const Frame all, clients_last.Handle(Transactions().Slice(3, 6)));
  EXPECT_EQ(all, expected);

  // Client 9 arrives: its earlier transaction counts, and it has no score.
  ASSERT_OK_AND_ASSIGN(
      const Frame nine,
      clients_last.Handle(Frame({"id", "cpf"}, {Column::Ints({9}), Column::Strings({"909"})})));
  ASSERT_EQ(nine.num_rows(), 4u);
  EXPECT_EQ(nine.column("cliente_id").Int64At(3), 9);
  EXPECT_EQ(nine.column("transacoes").Int64At(3), 1);
  EXPECT_FALSE(nine.column("limite_emprestimo").IsValid(3));
}

TEST(ClientProfile, SumsTheChosenValueColumn) {
  ClientProfileHandler profiles("valor_brl", kQuiet);
  ASSERT_OK(profiles.Handle(Clients().Slice(1, 2)));  // client 1
  ASSERT_OK_AND_ASSIGN(
      const Frame out,
      profiles.Handle(Frame({"cliente_id", "data", "valor", "valor_brl"},
                            {Column::Ints({1, 1}), Column::Strings({"2026-01-01", "2026-01-02"}),
                             Column::Doubles({10, 10}), Column::Doubles({50, 54})})));
  EXPECT_DOUBLE_EQ(out.column("saldo").DoubleAt(0), 104.0);
}

TEST(ClientProfile, ReportsRowsItCannotUse) {
  std::vector<std::string> reasons;
  MetricOptions options = kQuiet;
  options.reporter = [&](const RowError& e) { reasons.push_back(e.reason); };
  ClientProfileHandler profiles("valor", options);
  Column ids = Column::Ints({1, 0});
  ids.SetNull(1);
  ASSERT_OK(profiles.Handle(Frame({"id", "cpf"}, {ids, Column::Strings({"111", "222"})})));
  Column cliente = Column::Ints({1, 0, 1, 1});
  cliente.SetNull(1);
  Column valor = Column::Doubles({1, 2, 3, 4});
  valor.SetNull(3);
  ASSERT_OK(profiles.Handle(
      Frame({"cliente_id", "data", "valor"},
            {cliente, Column::Strings({"2026-01-01", "2026-01-01", "2026-02-30", "2026-01-01"}),
             valor})));
  Column cpf = Column::Strings({"111", ""});
  cpf.SetNull(1);
  ASSERT_OK_AND_ASSIGN(
      const Frame out,
      profiles.Handle(Frame({"cpf", "score", "renda_mensal"},
                            {cpf, Column::Ints({700, 700}), Column::Doubles({-1, 1})})));
  EXPECT_THAT(reasons, ElementsAre("client id is null", "cliente_id is null",
                                   "data '2026-02-30' is not a YYYY-MM-DD calendar date",
                                   "valor is null or not finite",
                                   "renda_mensal is null, negative or not finite",
                                   "cpf of the score is null"));
  ASSERT_EQ(out.num_rows(), 1u);
  EXPECT_EQ(out.column("transacoes").Int64At(0), 1);  // only the good row counted
  EXPECT_FALSE(out.column("score").IsValid(0));       // its only score was refused
}

TEST(ClientProfile, AMessageOfUnknownShapeFailsNamingItsColumns) {
  ClientProfileHandler profiles("valor", kQuiet);
  EXPECT_THAT(profiles.Handle(Frame({"moeda"}, {Column::Strings({"BRL"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("client_profile: a message must be clients (id, cpf), "
                                 "transactions (cliente_id, data, valor) or scores (cpf, score, "
                                 "renda_mensal); this one has columns moeda")));
  EXPECT_THAT(profiles.Handle(Frame({"cliente_id", "data"},
                                    {Column::Ints({1}), Column::Strings({"2026-01-01"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("client_profile: input has no column 'valor'")));
  EXPECT_THAT(profiles.Handle(Frame(
                  {"cpf", "score", "renda_mensal"},
                  {Column::Strings({"111"}), Column::Strings({"700"}), Column::Doubles({1000})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("client_profile: column 'score' must be int64, not string")));
  // A message without columns (nothing arrived) changes nothing.
  ASSERT_OK_AND_ASSIGN(const Frame nothing, profiles.Handle(Frame()));
  EXPECT_EQ(nothing.num_rows(), 0u);
}

TEST(ClientProfilePart, ReadsTheValueColumnItIsGiven) {
  const PartInfo info = ClientProfilePart();
  PartOptions options;
  for (const OptionSpec& spec : info.options) options.Set(spec.name, *spec.default_value);
  options.Set("value_column", std::string("valor_brl"));
  const ColumnContract contract = info.contract(options);
  EXPECT_TRUE(contract.replaces);
  std::vector<std::string> reads;
  for (const ColumnRead& r : contract.reads) reads.push_back(r.name);
  EXPECT_THAT(reads, ::testing::Contains("valor_brl"));
  EXPECT_THAT(reads, ::testing::Not(::testing::Contains("valor")));
  EXPECT_THAT(info.help, HasSubstr("limite_emprestimo = renda_mensal x 0 (score below 500)"));
}

}  // namespace
}  // namespace gym
