// MockGenerator: every field within its documented range, the labeling rule, determinism,
// and the generator's fixed random sequence.
#include "gym/datagen/generator.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>

#include "gtest/gtest.h"
#include "gym/datagen/cpf_sequence.h"
#include "gym/datagen/names.h"
#include "gym/datagen/rng.h"
#include "gym/domain/categories.h"
#include "gym/domain/cpf.h"
#include "gym/domain/currencies.h"

namespace gym {
namespace {

const Date kToday{2026, 11, 26};

int64_t DaysOld(const std::string& text) {
  const std::optional<Date> d = Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d ? kToday.DaysSinceEpoch() - d->DaysSinceEpoch() : -1;
}

int AgeOn(const Date& today, const Date& birth) {
  const bool before_birthday =
      today.month < birth.month || (today.month == birth.month && today.day < birth.day);
  return today.year - birth.year - (before_birthday ? 1 : 0);
}

// True when `v` is the double nearest to some whole number of cents, so it prints with at
// most two decimals.
bool HasTwoDecimals(double v) { return std::round(v * 100.0) / 100.0 == v; }

bool Contains(std::span<const std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

TEST(MockRngTest, MatchesTheSplitMix64ReferenceSequence) {
  // The first outputs of SplitMix64 from state 0, as published with the algorithm.
  MockRng rng(0);
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(rng.Next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(rng.Next(), 0x06c45d188009454fULL);
}

TEST(MockRngTest, UniformIntStaysInRangeAndHitsBothEnds) {
  MockRng rng(99);
  std::set<int64_t> seen;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t v = rng.UniformInt(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  for (int i = 0; i < 10'000; ++i) {
    const double r = rng.UniformReal();
    ASSERT_GE(r, 0.0);
    ASSERT_LT(r, 1.0);
  }
}

TEST(NamesTest, ListsAreLargeEnoughAndDistinct) {
  EXPECT_GE(FirstNames().size(), 200u);
  EXPECT_GE(Surnames().size(), 100u);
  EXPECT_GE(StreetNames().size(), 30u);
  for (const auto list : {FirstNames(), Surnames(), StreetNames()}) {
    const std::set<std::string_view> distinct(list.begin(), list.end());
    EXPECT_EQ(distinct.size(), list.size());
  }
}

TEST(MockGeneratorTest, ClientFieldsAreInRange) {
  const MockGenerator gen(3, kToday);
  std::unordered_set<std::string> cpfs;
  std::set<size_t> surname_counts;
  std::set<size_t> lead_spaces;
  std::set<size_t> trail_spaces;
  for (int64_t id = 1; id <= 20'000; ++id) {
    const MockClient c = gen.Client(id);
    SCOPED_TRACE(c.nome + " | " + c.cpf + " | " + c.data_nascimento + " | " + c.endereco);
    ASSERT_EQ(c.id, id);
    ASSERT_TRUE(IsValidCpf(c.cpf));
    ASSERT_TRUE(cpfs.insert(c.cpf).second);

    const size_t first_space = c.nome.find(' ');
    ASSERT_NE(first_space, std::string::npos);
    ASSERT_TRUE(Contains(FirstNames(), std::string_view(c.nome).substr(0, first_space)));
    const std::string_view rest = std::string_view(c.nome).substr(first_space + 1);
    const size_t second_space = rest.find(' ');
    ASSERT_TRUE(Contains(Surnames(), rest.substr(0, second_space)));
    if (second_space != std::string_view::npos) {
      ASSERT_TRUE(Contains(Surnames(), rest.substr(second_space + 1)));
    }
    surname_counts.insert(second_space == std::string_view::npos ? 1 : 2);

    const std::optional<Date> birth = Date::Parse(c.data_nascimento);
    ASSERT_TRUE(birth.has_value());
    const int age = AgeOn(kToday, *birth);
    ASSERT_GE(age, 20);
    ASSERT_LE(age, 80);

    const size_t lead = c.endereco.find_first_not_of(' ');
    const size_t trail = c.endereco.size() - 1 - c.endereco.find_last_not_of(' ');
    ASSERT_LE(lead, 2u);
    ASSERT_LE(trail, 2u);
    lead_spaces.insert(lead);
    trail_spaces.insert(trail);
    const std::string body = c.endereco.substr(lead, c.endereco.size() - lead - trail);
    const size_t comma = body.rfind(", ");
    ASSERT_NE(comma, std::string::npos);
    const std::string number = body.substr(comma + 2);
    ASSERT_FALSE(number.empty());
    ASSERT_TRUE(
        std::all_of(number.begin(), number.end(), [](char ch) { return ch >= '0' && ch <= '9'; }));
    const std::string_view street = std::string_view(body).substr(0, comma);
    const size_t kind_end = street.find(' ');
    ASSERT_TRUE(Contains(StreetKinds(), street.substr(0, kind_end)));
    ASSERT_TRUE(Contains(StreetNames(), street.substr(kind_end + 1)));
  }
  EXPECT_EQ(surname_counts, (std::set<size_t>{1, 2}));
  EXPECT_EQ(lead_spaces, (std::set<size_t>{0, 1, 2}));
  EXPECT_EQ(trail_spaces, (std::set<size_t>{0, 1, 2}));
}

TEST(MockGeneratorTest, TransactionFieldsAreInRange) {
  const MockGenerator gen(4, kToday);
  std::set<std::string> categories;
  std::set<std::string> currencies;
  int64_t oldest_new = 0;
  int64_t youngest_historical = 1000;
  for (int64_t id = 1; id <= 20'000; ++id) {
    SCOPED_TRACE(id);
    const MockTransaction h = gen.HistoricalTransaction(id, 7);
    const MockTransaction n = gen.NewTransaction(id, 8);
    ASSERT_EQ(h.id, id);
    ASSERT_EQ(h.cliente_id, 7);
    ASSERT_EQ(n.cliente_id, 8);
    for (const MockTransaction* t : {&h, &n}) {
      ASSERT_GE(t->valor, 10.0);
      ASSERT_LE(t->valor, 5000.0);
      ASSERT_TRUE(HasTwoDecimals(t->valor)) << t->valor;
      ASSERT_TRUE(Contains(kCurrencies, t->moeda)) << t->moeda;
      currencies.insert(t->moeda);
    }
    const int64_t h_age = DaysOld(h.data);
    const int64_t n_age = DaysOld(n.data);
    ASSERT_GE(h_age, 31);
    ASSERT_LE(h_age, 365);
    ASSERT_GE(n_age, 0);
    ASSERT_LE(n_age, 30);
    oldest_new = std::max(oldest_new, n_age);
    youngest_historical = std::min(youngest_historical, h_age);
    ASSERT_TRUE(h.categoria.has_value());
    ASSERT_TRUE(Contains(kCategories, *h.categoria)) << *h.categoria;
    categories.insert(*h.categoria);
    ASSERT_FALSE(n.categoria.has_value());
  }
  EXPECT_EQ(categories.size(), 10u);
  EXPECT_EQ(currencies.size(), 3u);
  EXPECT_EQ(oldest_new, 30);
  EXPECT_EQ(youngest_historical, 31);
}

TEST(MockGeneratorTest, ScoreFieldsAreInRange) {
  const MockGenerator gen(5, kToday);
  for (int64_t id = 1; id <= 20'000; ++id) {
    const std::string cpf = gen.Client(id).cpf;
    const MockScore s = gen.Score(cpf);
    SCOPED_TRACE(cpf);
    ASSERT_EQ(s.cpf, cpf);
    ASSERT_GE(s.score, 300);
    ASSERT_LE(s.score, 900);
    ASSERT_GE(s.renda_mensal, 1500.0);
    ASSERT_LE(s.renda_mensal, 20000.0);
    ASSERT_TRUE(HasTwoDecimals(s.renda_mensal));
    ASSERT_TRUE(HasTwoDecimals(s.limite_credito));
    // U(0.5, 2.0) of the income, give or take the rounding to cents.
    ASSERT_GE(s.limite_credito, s.renda_mensal * 0.5 - 0.005);
    ASSERT_LE(s.limite_credito, s.renda_mensal * 2.0 + 0.005);
    const int64_t age = DaysOld(s.data_ultima_atualizacao);
    ASSERT_GE(age, 0);
    ASSERT_LE(age, 30);
    ASSERT_EQ(gen.Score(cpf).limite_credito, s.limite_credito);
  }
}

TEST(SuspiciousLabelTest, FollowsTheRule) {
  const Date thursday{2026, 11, 26};
  const Date saturday{2026, 11, 28};
  const Date sunday{2026, 11, 29};
  const struct {
    double valor;
    const char* moeda;
    Date date;
    int want;
  } cases[] = {
      {100.0, "BRL", thursday, 0}, {3000.0, "BRL", thursday, 0}, {3000.01, "BRL", thursday, 1},
      {100.0, "USD", thursday, 1}, {100.0, "EUR", thursday, 1},  {100.0, "BRL", saturday, 1},
      {100.0, "BRL", sunday, 1},   {4999.0, "EUR", sunday, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.valor) + " " + c.moeda + " " + c.date.ToString());
    EXPECT_EQ(SuspiciousLabel(c.valor, c.moeda, c.date), c.want);
  }
}

TEST(MockGeneratorTest, LabeledRowsObeyTheRuleAndTheSeedDistribution) {
  const MockGenerator gen(6, kToday);
  constexpr int kRows = 20'000;
  int brl = 0;
  int usd = 0;
  int suspicious = 0;
  for (int64_t id = 1; id <= kRows; ++id) {
    const LabeledTransaction row = gen.Labeled(id, 1);
    SCOPED_TRACE(id);
    const std::optional<Date> date = Date::Parse(row.t.data);
    ASSERT_TRUE(date.has_value());
    const bool rule = row.t.valor > 3000 || row.t.moeda != "BRL" || date->Weekday() >= 5;
    ASSERT_EQ(row.suspeita, rule ? 1 : 0);
    ASSERT_EQ(row.suspeita, SuspiciousLabel(row.t.valor, row.t.moeda, *date));
    ASSERT_GE(row.t.valor, 50.0);
    ASSERT_LE(row.t.valor, 5000.0);
    const int64_t age = DaysOld(row.t.data);
    ASSERT_GE(age, 0);
    ASSERT_LT(age, 60);
    ASSERT_FALSE(row.t.categoria.has_value());
    brl += row.t.moeda == "BRL" ? 1 : 0;
    usd += row.t.moeda == "USD" ? 1 : 0;
    suspicious += row.suspeita;
  }
  // Weights 0.6 / 0.3 / 0.1; 20k draws put each share within 0.02 of its weight.
  EXPECT_NEAR(brl / static_cast<double>(kRows), 0.6, 0.02);
  EXPECT_NEAR(usd / static_cast<double>(kRows), 0.3, 0.02);
  EXPECT_GT(suspicious, 0);
  EXPECT_LT(suspicious, kRows);
}

TEST(MockGeneratorTest, SameSeedSameRowsOtherSeedOtherRows) {
  const MockGenerator a(77, kToday);
  const MockGenerator b(77, kToday);
  const MockGenerator c(78, kToday);
  int differ = 0;
  for (int64_t id = 1; id <= 200; ++id) {
    SCOPED_TRACE(id);
    const MockClient ca = a.Client(id);
    const MockClient cb = b.Client(id);
    EXPECT_EQ(ca.nome, cb.nome);
    EXPECT_EQ(ca.cpf, cb.cpf);
    EXPECT_EQ(ca.data_nascimento, cb.data_nascimento);
    EXPECT_EQ(ca.endereco, cb.endereco);
    const MockTransaction ta = a.HistoricalTransaction(id, 1);
    const MockTransaction tb = b.HistoricalTransaction(id, 1);
    EXPECT_EQ(ta.data, tb.data);
    EXPECT_EQ(ta.valor, tb.valor);
    EXPECT_EQ(ta.moeda, tb.moeda);
    EXPECT_EQ(ta.categoria, tb.categoria);
    differ += (ca.cpf != c.Client(id).cpf) ? 1 : 0;
  }
  EXPECT_GT(differ, 190);
}

TEST(MockGeneratorTest, RejectsIdsWithoutADistinctCpf) {
  const MockGenerator gen(1, kToday);
  EXPECT_THROW(gen.Client(-1), std::out_of_range);
  EXPECT_THROW(gen.Client(static_cast<int64_t>(CpfSequence::kCapacity)), std::out_of_range);
  EXPECT_NO_THROW(gen.Client(0));
  EXPECT_THROW(gen.Cpf(-1), std::out_of_range);
}

// The load client looks CPFs up by id instead of keeping every client row it sent.
TEST(MockGeneratorTest, CpfIsTheClientsCpf) {
  const MockGenerator gen(5, kToday);
  for (int64_t id : {0, 1, 99, 123456}) EXPECT_EQ(gen.Cpf(id), gen.Client(id).cpf);
}

TEST(MockGeneratorTest, AgesHoldOnALeapDay) {
  const Date leap{2024, 2, 29};
  const MockGenerator gen(8, leap);
  for (int64_t id = 1; id <= 5000; ++id) {
    const Date birth = *Date::Parse(gen.Client(id).data_nascimento);
    SCOPED_TRACE(birth.ToString());
    const int age = AgeOn(leap, birth);
    ASSERT_GE(age, 20);
    ASSERT_LE(age, 80);
  }
}

}  // namespace
}  // namespace gym
