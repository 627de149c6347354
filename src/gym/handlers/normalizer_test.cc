#include "gym/handlers/normalizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

TEST(NormalizeText, Examples) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"  Rua   São João, 12 ", "R. SAO JOAO, 12"},
      {"Praça da Sé", "PCA. DA SE"},
      {"Ruanda", "RUANDA"},
      {"Avenida Paulista, 1000", "AV. PAULISTA, 1000"},
      {"", ""},
      {"     ", ""},
      {"\tRua\n\nDireita\r\n", "R. DIREITA"},
      {"RUAS do centro", "RUAS DO CENTRO"},
      {"Rua. Augusta", "R. AUGUSTA"},
      {"rua", "R."},
      {"Rua,Avenida;Praça", "R.,AV.;PCA."},
      {"Travessa Rua-Nova", "TRAVESSA R.-NOVA"},
      {"PRACAS e AVENIDAS", "PRACAS E AVENIDAS"},
      {"áéíóú çãõ ü", "AEIOU CAO U"},
      {"José Conceição", "JOSE CONCEICAO"},
      {"Praça\u00a0da Sé", "PCA. DA SE"},  // no-break space collapses too
      {"Москва улица", "МОСКВА УЛИЦА"},
      {"東京 rua", "東京 R."},
      {"RUAÇ", "RUAC"},
      {"São Rua 5", "SAO R. 5"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("input: '" + c.input + "'");
    absl::StatusOr<std::string> got = NormalizeText(c.input);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.expected);
  }
}

TEST(NormalizeText, InvalidUtf8IsAnError) {
  const std::vector<std::string> cases = {"\xff", "Rua \xc3", "S\xc3\x28o",
                                          "\xed\xa0\x80 surrogate", "\xc0\xaf overlong"};
  for (const std::string& input : cases) {
    SCOPED_TRACE(::testing::PrintToString(input));
    absl::StatusOr<std::string> got = NormalizeText(input);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(NormalizeInPlace, LeavesTextUnchangedOnError) {
  std::string text = "Rua \xff";
  EXPECT_FALSE(NormalizeInPlace(text).ok());
  EXPECT_EQ(text, "Rua \xff");
}

Frame ClientsFixture() {
  return Frame(
      {"id", "nome", "cpf", "endereco", "event_id"},
      {Column::Ints({1, 2, 3}), Column::Strings({"  maria  da silva", "Jo\xff", "Ana Souza"}),
       Column::Strings({"123.456.789-09", "987.654.321-00", "111.222.333-96"}),
       Column::Strings({"Rua São João, 12", "Avenida Brasil, 5", "praça XV , 3 "}),
       Column::Strings({"b:0", "b:1", "b:2"})});
}

TEST(NormalizerHandler, NormalizesStringColumnsAndRemovesInvalidRows) {
  std::vector<RowError> errors;
  NormalizerHandler handler({"id", "cpf", "event_id"},
                            [&](const RowError& e) { errors.push_back(e); });
  ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(ClientsFixture()));
  ASSERT_EQ(out.num_rows(), 2u);
  EXPECT_EQ(out.column("nome").strings(),
            (std::vector<std::string>{"MARIA DA SILVA", "ANA SOUZA"}));
  EXPECT_EQ(out.column("endereco").strings(),
            (std::vector<std::string>{"R. SAO JOAO, 12", "PCA. XV , 3"}));
  EXPECT_EQ(out.column("cpf").strings(),
            (std::vector<std::string>{"123.456.789-09", "111.222.333-96"}));
  EXPECT_EQ(out.column("event_id").strings(), (std::vector<std::string>{"b:0", "b:2"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].node, "normalizer");
  EXPECT_EQ(errors[0].row, 1u);
  EXPECT_EQ(errors[0].event_id, "b:1");
  EXPECT_THAT(errors[0].reason, ::testing::HasSubstr("nome"));
  EXPECT_EQ(handler.rejected_rows(), 1u);
}

TEST(NormalizerHandler, SkippedColumnsAndNullsAreUntouched) {
  Column names = Column::Strings({"rua a", ""});
  names.SetNull(1);
  Frame input({"obs", "nome"}, {Column::Strings({"  rua  x ", "avenida"}), names});
  NormalizerHandler handler({"obs"});
  ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(input));
  EXPECT_EQ(out.column("obs").strings(), (std::vector<std::string>{"  rua  x ", "avenida"}));
  EXPECT_EQ(out.column("nome").StringAt(0), "R. A");
  EXPECT_FALSE(out.column("nome").IsValid(1));
}

TEST(NormalizerHandler, DefaultSkipsIdentifiersAndDates) {
  Frame input({"cpf", "data_nascimento", "batch_id", "endereco"},
              {Column::Strings({"123.456.789-09"}), Column::Strings({"1990-01-02"}),
               Column::Strings({"lote a"}), Column::Strings({"rua b"})});
  ASSERT_OK_AND_ASSIGN(Frame out, NormalizerHandler().Handle(input));
  EXPECT_EQ(out.column("batch_id").StringAt(0), "lote a");
  EXPECT_EQ(out.column("endereco").StringAt(0), "R. B");
}

}  // namespace
}  // namespace gym
