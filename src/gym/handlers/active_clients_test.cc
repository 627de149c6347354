#include "gym/handlers/active_clients.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_util::StatusIs;

const MetricOptions kQuiet{.quiet = true, .max_printed_rows = 20, .reporter = {}};
const Date kAsOf = *Date::Parse("2026-11-26");

Frame Clients(std::vector<int64_t> ids) { return Frame({"id"}, {Column::Ints(std::move(ids))}); }

Frame Transactions(std::vector<int64_t> clients, std::vector<std::string> dates) {
  return Frame({"cliente_id", "data"},
               {Column::Ints(std::move(clients)), Column::Strings(std::move(dates))});
}

// A handled message whose totals (one row: clientes, ativos, percentual) are these.
void ExpectTotals(const absl::StatusOr<Frame>& handled, int64_t clientes, int64_t ativos,
                  double percentual) {
  ASSERT_OK(handled);
  const Frame& out = *handled;
  ASSERT_EQ(out.num_rows(), 1u);
  EXPECT_EQ(out.column("clientes").Int64At(0), clientes);
  EXPECT_EQ(out.column("ativos").Int64At(0), ativos);
  EXPECT_DOUBLE_EQ(out.column("percentual").DoubleAt(0), percentual);
}

// With days = 30 and as_of 2026-11-26 the window is 2026-10-28 .. 2026-11-26.
TEST(ActiveClients, CountsClientsWithATransactionInTheWindow) {
  ActiveClientsHandler active(30, kAsOf, kQuiet);
  ASSERT_OK(active.Handle(Clients({1, 2, 3, 4})));
  const absl::StatusOr<Frame> out =
      active.Handle(Transactions({1, 2, 2, 3, 4, 4}, {"2026-11-26", "2026-10-28", "2026-10-28",
                                                      "2026-10-27", "2026-11-27", "2025-11-26"}));
  // 1 (as_of itself) and 2 (the window's first day, twice) are active; 3 is one day too early,
  // 4 only has a date after as_of and one a year before.
  ExpectTotals(out, 4, 2, 50.0);
  EXPECT_EQ(active.title(), "clients active in the 30 days to 2026-11-26");
}

TEST(ActiveClients, AccumulatesInAnyOrder) {
  ActiveClientsHandler active(7, kAsOf, kQuiet);
  ASSERT_OK_AND_ASSIGN(const Frame before,
                       active.Handle(Transactions({5, 6}, {"2026-11-20", "2026-11-25"})));
  ASSERT_EQ(before.num_rows(), 1u);
  EXPECT_EQ(before.column("clientes").Int64At(0), 0);
  EXPECT_FALSE(before.column("percentual").IsValid(0));  // no client yet
  ExpectTotals(active.Handle(Clients({5, 7})), 2, 1, 50.0);
  // A client seen twice counts once; 6's earlier transaction counts once it arrives.
  ExpectTotals(active.Handle(Clients({5, 6})), 3, 2, 100.0 * 2 / 3);
}

TEST(ActiveClients, ReportsRowsItCannotUse) {
  std::vector<std::string> reasons;
  MetricOptions options = kQuiet;
  options.reporter = [&](const RowError& e) { reasons.push_back(e.reason); };
  ActiveClientsHandler active(30, kAsOf, options);
  Column ids = Column::Ints({1, 0});
  ids.SetNull(1);
  ASSERT_OK(active.Handle(Frame({"id"}, {ids})));
  Column cliente = Column::Ints({1, 0, 1});
  cliente.SetNull(1);
  const absl::StatusOr<Frame> out = active.Handle(Frame(
      {"cliente_id", "data"}, {cliente, Column::Strings({"2026-11-31", "2026-11-20", "26/11"})}));
  EXPECT_THAT(
      reasons,
      ElementsAre("client id is null", "data '2026-11-31' is not a YYYY-MM-DD calendar date",
                  "cliente_id is null", "data '26/11' is not a YYYY-MM-DD calendar date"));
  ExpectTotals(out, 1, 0, 0.0);
}

TEST(ActiveClients, AMessageOfUnknownShapeFailsNamingItsColumns) {
  ActiveClientsHandler active(30, kAsOf, kQuiet);
  EXPECT_THAT(active.Handle(Frame({"cpf"}, {Column::Strings({"1"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("active_clients: a message must be clients (id) or transactions "
                                 "(cliente_id, data); this one has columns cpf")));
  EXPECT_THAT(active.Handle(Frame({"id"}, {Column::Strings({"1"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("active_clients: column 'id' must be int64, not string")));
  EXPECT_THAT(active.Handle(Frame({"cliente_id"}, {Column::Ints({1})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("active_clients: input has no column 'data'")));
  // A message that failed changed nothing.
  EXPECT_EQ(active.result().num_rows(), 0u);
}

TEST(ActiveClientsPart, CheckRefusesABadWindow) {
  const PartInfo info = ActiveClientsPart();
  auto options = [&](int64_t days, std::string as_of) {
    PartOptions o;
    for (const OptionSpec& spec : info.options) o.Set(spec.name, *spec.default_value);
    o.Set("days", days);
    o.Set("as_of", std::move(as_of));
    return o;
  };
  EXPECT_THAT(info.check(options(30, "")), IsEmpty());
  EXPECT_THAT(info.check(options(1, "2024-02-29")), IsEmpty());
  EXPECT_THAT(info.check(options(0, "")), ElementsAre("days: must be 1 or more, got 0"));
  EXPECT_THAT(info.check(options(30, "2026-02-29")),
              ElementsAre(HasSubstr("as_of: '2026-02-29' is not a YYYY-MM-DD calendar date")));
  // The metric options are still checked.
  PartOptions negative_rows = options(30, "");
  negative_rows.Set("max_printed_rows", int64_t{-1});
  EXPECT_THAT(info.check(negative_rows), ElementsAre(HasSubstr("max_printed_rows")));
}

TEST(ActiveClientsPart, DefaultsToThirtyDaysEndingToday) {
  const PartInfo info = ActiveClientsPart();
  PartOptions o;
  for (const OptionSpec& spec : info.options) o.Set(spec.name, *spec.default_value);
  EXPECT_EQ(o.Int("days"), 30);
  EXPECT_EQ(o.String("as_of"), "");
  const Date before = Today();
  absl::StatusOr<std::unique_ptr<Handler>> made = info.make("active", o, PartContext());
  const Date after = Today();  // the day may turn while the node is made
  ASSERT_TRUE(made.ok()) << made.status();
  auto* metric = dynamic_cast<MetricHandler*>(made->get());
  ASSERT_NE(metric, nullptr);
  EXPECT_THAT(metric->title(),
              ::testing::AnyOf("clients active in the 30 days to " + before.ToString(),
                               "clients active in the 30 days to " + after.ToString()));
}

}  // namespace
}  // namespace gym
