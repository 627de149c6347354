#include "gym/handlers/currency_to_brl.h"

#include <cmath>
#include <limits>
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

const CurrencyToBrlHandler::Rates kRates = {{"BRL", 1.0}, {"USD", 5.0}, {"EUR", 5.4}};

// The part's declared defaults, with `rates` replaced when given.
PartOptions Options(const PartInfo& info, std::optional<std::map<std::string, double>> rates) {
  PartOptions options;
  for (const OptionSpec& spec : info.options) options.Set(spec.name, *spec.default_value);
  if (rates) options.Set("rates", *rates);
  return options;
}

TEST(CurrencyToBrl, AddsValorBrlAndKeepsTheOriginalCurrency) {
  CurrencyToBrlHandler to_brl(kRates);
  ASSERT_OK_AND_ASSIGN(const Frame out,
                       to_brl.Handle(Frame({"id", "valor", "moeda"},
                                           {Column::Ints({1, 2, 3}), Column::Doubles({10, 20, 2.5}),
                                            Column::Strings({"BRL", "USD", "EUR"})})));
  EXPECT_THAT(out.column("valor_brl").doubles(), ElementsAre(10.0, 100.0, 13.5));
  // moeda and valor as they came: a risk rule downstream still sees USD and 20.
  EXPECT_THAT(out.column("moeda").strings(), ElementsAre("BRL", "USD", "EUR"));
  EXPECT_THAT(out.column("valor").doubles(), ElementsAre(10.0, 20.0, 2.5));
  EXPECT_EQ(to_brl.rejected_rows(), 0u);
}

TEST(CurrencyToBrl, ReadsIntegerAndTextValues) {
  CurrencyToBrlHandler to_brl(kRates);
  ASSERT_OK_AND_ASSIGN(
      const Frame ints,
      to_brl.Handle(Frame({"valor", "moeda"}, {Column::Ints({3}), Column::Strings({"USD"})})));
  EXPECT_DOUBLE_EQ(ints.column("valor_brl").DoubleAt(0), 15.0);
  ASSERT_OK_AND_ASSIGN(const Frame text,
                       to_brl.Handle(Frame({"valor", "moeda"},
                                           {Column::Strings({"1.5"}), Column::Strings({"EUR"})})));
  EXPECT_DOUBLE_EQ(text.column("valor_brl").DoubleAt(0), 8.1);
}

TEST(CurrencyToBrl, RejectsRowsItCannotConvertNamingWhy) {
  std::vector<RowError> errors;
  CurrencyToBrlHandler to_brl(
      kRates, [&](const RowError& e) { errors.push_back(e); }, "to_brl");
  Column moeda = Column::Strings({"BRL", "GBP", "USD", "BRL", ""});
  moeda.SetNull(4);
  Column valor = Column::Doubles({1, 2, 3, 4, 5});
  valor.SetNull(2);
  ASSERT_OK_AND_ASSIGN(
      const Frame out,
      to_brl.Handle(Frame({"event_id", "valor", "moeda"},
                          {Column::Strings({"e0", "e1", "e2", "e3", "e4"}), valor, moeda})));
  EXPECT_THAT(out.column("event_id").strings(), ElementsAre("e0", "e3"));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].node, "to_brl");
  EXPECT_EQ(errors[0].event_id, "e1");
  EXPECT_THAT(errors[0].reason, HasSubstr("moeda 'GBP' has no rate (rates: BRL, EUR, USD)"));
  EXPECT_EQ(errors[1].event_id, "e2");
  EXPECT_EQ(errors[1].reason, "valor is null");
  EXPECT_EQ(errors[2].event_id, "e4");
  EXPECT_EQ(errors[2].reason, "moeda is null");
  EXPECT_EQ(to_brl.rejected_rows(), 3u);
}

TEST(CurrencyToBrl, AFrameWithoutTheColumnsFailsNamingThem) {
  CurrencyToBrlHandler to_brl(kRates);
  EXPECT_THAT(to_brl.Handle(Frame({"valor"}, {Column::Doubles({1})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("currency_to_brl: input has no column 'moeda'")));
  EXPECT_THAT(to_brl.Handle(Frame({"moeda"}, {Column::Strings({"BRL"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("currency_to_brl: input has no column 'valor'")));
  EXPECT_THAT(to_brl.Handle(Frame({"valor", "moeda"}, {Column::Doubles({1}), Column::Ints({1})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("currency_to_brl: column 'moeda' must be text, not int64")));
}

TEST(CurrencyToBrlPart, CheckRefusesANonPositiveRate) {
  const PartInfo info = CurrencyToBrlPart();
  EXPECT_THAT(info.check(Options(info, std::nullopt)), IsEmpty());
  struct Case {
    std::string name;
    std::map<std::string, double> rates;
    std::string problem;
  };
  const std::vector<Case> cases = {
      {"zero", {{"BRL", 1.0}, {"USD", 0.0}}, "rates: USD is 0; a rate must be a positive number"},
      {"negative", {{"EUR", -5.4}}, "rates: EUR is -5.4"},
      {"not a number", {{"EUR", std::nan("")}}, "rates: EUR is nan"},
      {"infinite", {{"EUR", std::numeric_limits<double>::infinity()}}, "rates: EUR is inf"},
      {"none", {}, "rates: name at least one currency"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(info.check(Options(info, c.rates)), ElementsAre(HasSubstr(c.problem)));
  }
}

TEST(CurrencyToBrlPart, DefaultRatesAndContract) {
  const PartInfo info = CurrencyToBrlPart();
  const PartOptions options = Options(info, std::nullopt);
  EXPECT_EQ(options.NumberMap("rates"),
            (std::map<std::string, double>{{"BRL", 1.0}, {"EUR", 5.4}, {"USD", 5.0}}));
  EXPECT_THAT(info.help, HasSubstr("illustrative"));
  EXPECT_THAT(info.help, HasSubstr("still sees the original currency"));
  const ColumnContract contract = info.contract(options);
  ASSERT_EQ(contract.adds.size(), 1u);
  EXPECT_EQ(contract.adds[0].name, "valor_brl");
  EXPECT_EQ(contract.adds[0].type, DataType::kDouble);
  EXPECT_TRUE(contract.drops.empty());
  EXPECT_FALSE(contract.replaces);
  PartContext context;
  absl::StatusOr<std::unique_ptr<Handler>> made = info.make("to_brl", options, context);
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_OK_AND_ASSIGN(
      const Frame out,
      (*made)->Handle(Frame({"valor", "moeda"}, {Column::Doubles({2}), Column::Strings({"EUR"})})));
  EXPECT_DOUBLE_EQ(out.column("valor_brl").DoubleAt(0), 10.8);
}

}  // namespace
}  // namespace gym
