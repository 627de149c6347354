#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/handlers/client_metrics.h"
#include "gym/handlers/transaction_metrics.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::StatusIs;

// Six transactions; the expected totals below are worked out by hand.
Frame Fixture() {
  return Frame({"id", "cliente_id", "valor", "moeda", "categoria", "suspeita"},
               {Column::Ints({1, 2, 3, 4, 5, 6}), Column::Ints({1, 2, 1, 3, 2, 3}),
                Column::Doubles({100.0, 200.0, 300.0, 4000.0, 50.0, 150.0}),
                Column::Strings({"BRL", "USD", "BRL", "EUR", "BRL", "BRL"}),
                Column::Strings({"Lazer", "Compras", "Lazer", "Saúde", "Lazer", "Compras"}),
                Column::Ints({0, 1, 0, 1, 0, 0})});
}

const MetricOptions kQuiet{.quiet = true, .max_printed_rows = 20, .reporter = {}};

// Feeds the fixture in two messages (rows 0-2, then 3-5) and returns the last output (or the
// first failure).
absl::StatusOr<Frame> FeedInTwoMessages(MetricHandler& metric) {
  if (absl::StatusOr<Frame> first = metric.Handle(Fixture().Slice(0, 3)); !first.ok()) {
    return first;
  }
  return metric.Handle(Fixture().Slice(3, 6));
}

TEST(Metrics, TotalsOverSeveralMessages) {
  struct Case {
    std::string name;
    std::unique_ptr<MetricHandler> metric;
    Frame expected;
  };
  std::vector<Case> cases;
  cases.push_back({"average per client",
                   std::make_unique<AverageValuePerClientHandler>(std::nullopt, kQuiet),
                   Frame({"cliente_id", "transacoes", "valor_medio"},
                         {Column::Ints({1, 2, 3}), Column::Ints({2, 2, 2}),
                          Column::Doubles({200.0, 125.0, 2075.0})})});
  cases.push_back({"average of client 2", std::make_unique<AverageValuePerClientHandler>(2, kQuiet),
                   Frame({"cliente_id", "transacoes", "valor_medio"},
                         {Column::Ints({2}), Column::Ints({2}), Column::Doubles({125.0})})});
  cases.push_back({"most transactions, tie to lowest id",
                   std::make_unique<MostTransactionsClientHandler>(kQuiet),
                   Frame({"cliente_id", "transacoes"}, {Column::Ints({1}), Column::Ints({2})})});
  cases.push_back(
      {"count per category", std::make_unique<CountPerCategoryHandler>(kQuiet),
       Frame({"categoria", "transacoes"},
             {Column::Strings({"Lazer", "Compras", "Saúde"}), Column::Ints({3, 2, 1})})});
  cases.push_back(
      {"suspicious percentage", std::make_unique<SuspiciousPercentageHandler>(kQuiet),
       Frame({"transacoes", "suspeitas", "percentual"},
             {Column::Ints({6}), Column::Ints({2}), Column::Doubles({100.0 * 2 / 6})})});
  cases.push_back({"value per currency", std::make_unique<ValuePerCurrencyHandler>(kQuiet),
                   Frame({"moeda", "transacoes", "valor_total"},
                         {Column::Strings({"BRL", "EUR", "USD"}), Column::Ints({4, 1, 1}),
                          Column::Doubles({600.0, 4000.0, 200.0})})});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.metric->result().num_rows(), 0u);
    ASSERT_OK_AND_ASSIGN(const Frame out, FeedInTwoMessages(*c.metric));
    EXPECT_EQ(out, c.expected) << out.ToString();
    EXPECT_EQ(c.metric->result(), c.expected);
  }
}

TEST(Metrics, PartialTotalsAfterFirstMessage) {
  MostTransactionsClientHandler most(kQuiet);
  ASSERT_OK_AND_ASSIGN(Frame out, most.Handle(Fixture().Slice(0, 3)));
  EXPECT_EQ(out, Frame({"cliente_id", "transacoes"}, {Column::Ints({1}), Column::Ints({2})}));
  AverageValuePerClientHandler unknown(99, kQuiet);
  ASSERT_OK_AND_ASSIGN(out, unknown.Handle(Fixture()));
  EXPECT_EQ(out.column("transacoes").Int64At(0), 0);
  EXPECT_FALSE(out.column("valor_medio").IsValid(0));
}

TEST(Metrics, TotalsHandedOnAreTheLatestEvenWhenAnEarlierMessageFinishesLast) {
  std::vector<int64_t> seen;
  MetricOptions options = kQuiet;
  options.on_totals = [&seen](const Frame& totals) {
    seen.push_back(totals.column("transacoes").Int64At(0));
  };
  SuspiciousPercentageHandler suspicious(options);
  ASSERT_OK_AND_ASSIGN(Frame first, suspicious.Handle(Fixture().Slice(0, 3)));
  ASSERT_OK_AND_ASSIGN(Frame second, suspicious.Handle(Fixture().Slice(3, 6)));
  // The second message is done first, then the first: both hand on all six transactions, so
  // a results table is never left with the older totals.
  suspicious.PostMessage(second);
  suspicious.PostMessage(first);
  EXPECT_EQ(seen, (std::vector<int64_t>{6, 6}));
}

TEST(Metrics, NullCellsAreSkippedAndReported) {
  Frame input = Fixture();
  input.mutable_column("valor").SetNull(0);
  input.mutable_column("categoria").SetNull(1);
  input.mutable_column("suspeita").SetNull(2);
  std::vector<RowError> errors;
  MetricOptions options{.quiet = true, .max_printed_rows = 20, .reporter = [&](const RowError& e) {
                          errors.push_back(e);
                        }};
  ValuePerCurrencyHandler currencies(options);
  CountPerCategoryHandler categories(options);
  SuspiciousPercentageHandler suspicious(options);
  ASSERT_OK_AND_ASSIGN(const Frame per_currency, currencies.Handle(input));
  EXPECT_EQ(per_currency.column("valor_total").DoubleAt(0), 500.0);
  ASSERT_OK_AND_ASSIGN(const Frame per_category, categories.Handle(input));
  EXPECT_EQ(per_category.column("transacoes").ints(), (std::vector<int64_t>{3, 1, 1}));
  ASSERT_OK_AND_ASSIGN(const Frame flagged, suspicious.Handle(input));
  EXPECT_EQ(flagged.column("transacoes").Int64At(0), 5);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].row, 0u);
  EXPECT_EQ(errors[1].row, 1u);
  EXPECT_EQ(errors[2].row, 2u);
  EXPECT_EQ(currencies.rejected_rows(), 1u);
}

TEST(Metrics, AMissingOrMistypedColumnFailsTheMessageNamingIt) {
  struct Case {
    std::string name;
    std::unique_ptr<MetricHandler> metric;
    Frame input;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({"no categoria", std::make_unique<CountPerCategoryHandler>(kQuiet),
                   Fixture().Drop({"categoria"}),
                   "count_per_category: input has no column 'categoria'"});
  cases.push_back({"numeric categoria", std::make_unique<CountPerCategoryHandler>(kQuiet),
                   Fixture().Drop({"categoria"}).Rename({{"id", "categoria"}}),
                   "count_per_category: column 'categoria' must be string, not int64"});
  cases.push_back({"text valor",
                   std::make_unique<AverageValuePerClientHandler>(std::nullopt, kQuiet),
                   Fixture().Drop({"valor"}).Rename({{"moeda", "valor"}}),
                   "average_value_per_client: column 'valor' must be numeric, not string"});
  cases.push_back({"double cliente_id", std::make_unique<MostTransactionsClientHandler>(kQuiet),
                   Fixture().Drop({"cliente_id"}).Rename({{"valor", "cliente_id"}}),
                   "most_transactions_client: column 'cliente_id' must be int64, not double"});
  cases.push_back({"no valor", std::make_unique<ValuePerCurrencyHandler>(kQuiet),
                   Fixture().Drop({"valor"}), "value_per_currency: input has no column 'valor'"});
  cases.push_back({"text suspeita", std::make_unique<SuspiciousPercentageHandler>(kQuiet),
                   Fixture().Drop({"suspeita"}).Rename({{"moeda", "suspeita"}}),
                   "suspicious_percentage: column 'suspeita' must be numeric, not string"});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(c.metric->Handle(c.input),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
    EXPECT_EQ(c.metric->result().num_rows(), 0u);  // the failed message changed nothing
  }
}

TEST(Metrics, ConcurrentMessagesAccumulate) {
  for (int threads : {1, 2, 4}) {
    SCOPED_TRACE(threads);
    SuspiciousPercentageHandler suspicious(kQuiet);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < 50; ++i) EXPECT_OK(suspicious.Handle(Fixture()));
      });
    }
    for (std::thread& w : workers) w.join();
    EXPECT_EQ(suspicious.result().column("transacoes").Int64At(0), 6 * 50 * threads);
    EXPECT_EQ(suspicious.result().column("suspeitas").Int64At(0), 2 * 50 * threads);
  }
}

TEST(Metrics, PrintsATableUnlessQuiet) {
  CountPerCategoryHandler loud;
  CountPerCategoryHandler quiet(kQuiet);
  ::testing::internal::CaptureStdout();
  ASSERT_OK_AND_ASSIGN(const Frame loud_totals, loud.Handle(Fixture()));
  ASSERT_OK_AND_ASSIGN(const Frame quiet_totals, quiet.Handle(Fixture()));
  loud.PostMessage(loud_totals);
  quiet.PostMessage(quiet_totals);
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(printed,
            "== transactions per category ==\n"
            "categoria  transacoes\n"
            "Lazer               3\n"
            "Compras             2\n"
            "Saúde               1\n");
}

TEST(FormatMetricTable, DoublesNullsAndTruncation) {
  Column total = Column::Doubles({1.5, 0.0, 3.0});
  total.SetNull(1);
  Frame frame({"moeda", "valor_total"}, {Column::Strings({"BRL", "EUR", "USD"}), total});
  const std::string text = FormatMetricTable("t", frame, 2);
  EXPECT_EQ(text,
            "== t ==\n"
            "moeda  valor_total\n"
            "BRL           1.50\n"
            "EUR              -\n"
            "... 1 more rows\n");
  EXPECT_THAT(FormatMetricTable("e", frame.Head(0), 5), HasSubstr("(no rows)"));
}

}  // namespace
}  // namespace gym
