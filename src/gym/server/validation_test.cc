#include "gym/server/validation.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

using gym_framework_rpc::ClientData;
using gym_framework_rpc::ScoreData;
using gym_framework_rpc::TransactionData;

TEST(IsAcceptedCpf, FormatsAndCheckDigits) {
  struct Case {
    const char* cpf;
    bool ok;
  };
  const Case cases[] = {
      {"111.444.777-35", true},  {"11144477735", true},     {"111.444.777-36", false},
      {"11144477736", false},    {"111.111.111-11", false}, {"111444777-35", false},
      {"111.444.777.35", false}, {"1114447773", false},     {"", false},
      {"abc.def.ghi-jk", false}, {"111.444.77a-35", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cpf);
    EXPECT_EQ(IsAcceptedCpf(c.cpf), c.ok);
  }
}

ClientData GoodClient() {
  ClientData c;
  c.set_id(1);
  c.set_nome("Ana");
  c.set_cpf("111.444.777-35");
  c.set_data_nascimento("1990-05-17");
  c.set_endereco("Rua A, 1");
  return c;
}

TransactionData GoodTransaction() {
  TransactionData t;
  t.set_id(1);
  t.set_cliente_id(1);
  t.set_data("2026-11-20");
  t.set_valor(10.5);
  t.set_moeda("BRL");
  return t;
}

ScoreData GoodScore() {
  ScoreData s;
  s.set_cpf("11144477735");
  s.set_score(700);
  s.set_renda_mensal(5000);
  s.set_limite_credito(8000);
  s.set_data_ultima_atualizacao("2026-11-01");
  return s;
}

TEST(Validate, GoodItemsPass) {
  EXPECT_FALSE(ValidateClient(GoodClient()).has_value());
  EXPECT_FALSE(ValidateTransaction(GoodTransaction()).has_value());
  EXPECT_FALSE(ValidateScore(GoodScore()).has_value());
}

TEST(ValidateClient, RejectsWithField) {
  struct Case {
    const char* name;
    void (*mutate)(ClientData&);
    const char* field;
  };
  const Case cases[] = {
      {"empty cpf", [](ClientData& c) { c.clear_cpf(); }, "cpf"},
      {"bad digits", [](ClientData& c) { c.set_cpf("111.444.777-00"); }, "cpf"},
      {"Feb 30", [](ClientData& c) { c.set_data_nascimento("1990-02-30"); }, "data_nascimento"},
      {"empty date", [](ClientData& c) { c.clear_data_nascimento(); }, "data_nascimento"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ClientData item = GoodClient();
    c.mutate(item);
    auto e = ValidateClient(item);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field, c.field);
    EXPECT_EQ(e->Reason().rfind(std::string(c.field) + ": ", 0), 0u) << e->Reason();
  }
}

TEST(ValidateTransaction, RejectsWithField) {
  struct Case {
    const char* name;
    void (*mutate)(TransactionData&);
    const char* field;
  };
  const Case cases[] = {
      {"NaN", [](TransactionData& t) { t.set_valor(std::nan("")); }, "valor"},
      {"inf",
       [](TransactionData& t) { t.set_valor(std::numeric_limits<double>::infinity()); }, "valor"},
      {"negative", [](TransactionData& t) { t.set_valor(-0.01); }, "valor"},
      {"currency", [](TransactionData& t) { t.set_moeda("XYZ"); }, "moeda"},
      {"lower case currency", [](TransactionData& t) { t.set_moeda("brl"); }, "moeda"},
      {"date", [](TransactionData& t) { t.set_data("2026-11-31"); }, "data"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TransactionData item = GoodTransaction();
    c.mutate(item);
    auto e = ValidateTransaction(item);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field, c.field);
  }
  TransactionData zero = GoodTransaction();
  zero.set_valor(0);
  EXPECT_FALSE(ValidateTransaction(zero).has_value());
}

TEST(ValidateScore, RejectsWithField) {
  struct Case {
    const char* name;
    void (*mutate)(ScoreData&);
    const char* field;
  };
  const Case cases[] = {
      {"score high", [](ScoreData& s) { s.set_score(1001); }, "score"},
      {"score low", [](ScoreData& s) { s.set_score(-1); }, "score"},
      {"cpf", [](ScoreData& s) { s.set_cpf("123"); }, "cpf"},
      {"renda", [](ScoreData& s) { s.set_renda_mensal(-1); }, "renda_mensal"},
      {"limite", [](ScoreData& s) { s.set_limite_credito(std::nan("")); }, "limite_credito"},
      {"date", [](ScoreData& s) { s.set_data_ultima_atualizacao("x"); },
       "data_ultima_atualizacao"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScoreData item = GoodScore();
    c.mutate(item);
    auto e = ValidateScore(item);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field, c.field);
  }
  for (int edge : {0, 1000}) {
    ScoreData item = GoodScore();
    item.set_score(edge);
    EXPECT_FALSE(ValidateScore(item).has_value()) << edge;
  }
}

TEST(Validate, TextsOverTheirLimitsAreRejected) {
  ClientData name = GoodClient();
  name.set_nome(std::string(kMaxNameBytes + 1, 'a'));
  ASSERT_TRUE(ValidateClient(name).has_value());
  EXPECT_EQ(ValidateClient(name)->field, "nome");
  ClientData address = GoodClient();
  address.set_endereco(std::string(kMaxAddressBytes + 1, 'a'));
  EXPECT_EQ(ValidateClient(address)->field, "endereco");
  address.set_endereco(std::string(kMaxAddressBytes, 'a'));
  EXPECT_FALSE(ValidateClient(address).has_value());
}

TEST(Validate, DateWindowIsInclusive) {
  const ValidationLimits limits{.earliest_date = "2000-01-01", .latest_date = "2026-12-31"};
  const struct {
    const char* date;
    bool ok;
  } cases[] = {{"1999-12-31", false}, {"2000-01-01", true}, {"2026-12-31", true},
               {"2027-01-01", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date);
    TransactionData t = GoodTransaction();
    t.set_data(c.date);
    EXPECT_EQ(!ValidateTransaction(t, limits).has_value(), c.ok);
  }
}

TEST(Validate, KnownFieldWithTheWrongWireTypeIsNamed) {
  ScoreData s = GoodScore();
  // score (field 2, int32) sent length-delimited; field 99 is a newer client's and passes.
  s.GetReflection()->MutableUnknownFields(&s)->AddLengthDelimited(2, "700");
  auto e = ValidateScore(s);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->field, "score");
  EXPECT_NE(e->message.find("length-delimited"), std::string::npos) << e->message;
  ScoreData newer = GoodScore();
  newer.GetReflection()->MutableUnknownFields(&newer)->AddVarint(99, 1);
  EXPECT_FALSE(ValidateScore(newer).has_value());
}

TEST(Validate, LongValuesAreCutInTheReason) {
  ClientData item = GoodClient();
  item.set_cpf(std::string(10000, '9'));
  auto e = ValidateClient(item);
  ASSERT_TRUE(e.has_value());
  EXPECT_LT(e->Reason().size(), 200u);
}

}  // namespace
}  // namespace gym
