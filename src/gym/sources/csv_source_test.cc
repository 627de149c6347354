// Table-driven tests of the CSV rules: each edge case maps to the expected Frame or to the
// expected error text, which names the source and the physical line.
#include "gym/sources/csv_source.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

Column WithNulls(Column column, const std::vector<size_t>& nulls) {
  for (size_t r : nulls) column.SetNull(r);
  return column;
}
Column Ints(std::vector<int64_t> v, const std::vector<size_t>& nulls = {}) {
  return WithNulls(Column::Ints(std::move(v)), nulls);
}
Column Doubles(std::vector<double> v, const std::vector<size_t>& nulls = {}) {
  return WithNulls(Column::Doubles(std::move(v)), nulls);
}
Column Strings(std::vector<std::string> v, const std::vector<size_t>& nulls = {}) {
  return WithNulls(Column::Strings(std::move(v)), nulls);
}

struct ParseCase {
  std::string name;
  std::string input;
  CsvOptions options;
  Frame want;
};

CsvOptions WithSchema(std::vector<Field> fields) {
  CsvOptions options;
  options.schema = Schema(std::move(fields));
  return options;
}
CsvOptions WithDelimiter(char d) {
  CsvOptions options;
  options.delimiter = d;
  return options;
}

TEST(ParseCsv, EdgeCasesGiveTheExpectedFrame) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::vector<ParseCase> cases = {
      {"infers int64, double and string",
       "id,valor,moeda\n1,10.5,BRL\n2,3,USD\n",
       {},
       Frame({"id", "valor", "moeda"},
             {Ints({1, 2}), Doubles({10.5, 3}), Strings({"BRL", "USD"})})},
      {"quoted delimiter and doubled quotes",
       "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n",
       {},
       Frame({"a", "b"}, {Strings({"x,y"}), Strings({"say \"hi\""})})},
      {"newline inside quotes",
       "a,b\n\"line1\nline2\",2\n",
       {},
       Frame({"a", "b"}, {Strings({"line1\nline2"}), Ints({2})})},
      {"CRLF line endings",
       "a,b\r\n1,x\r\n2,y\r\n",
       {},
       Frame({"a", "b"}, {Ints({1, 2}), Strings({"x", "y"})})},
      {"CRLF inside quotes is kept",
       "a\r\n\"p\r\nq\"\r\n",
       {},
       Frame({"a"}, {Strings({"p\r\nq"})})},
      {"UTF-8 BOM is skipped", "\xEF\xBB\xBFid\n7\n", {}, Frame({"id"}, {Ints({7})})},
      {"empty unquoted is null, quoted empty is the empty string",
       "a,b,c\n1,,\"\"\n,x,y\n",
       {},
       Frame({"a", "b", "c"}, {Ints({1, 0}, {1}), Strings({"", "x"}, {0}), Strings({"", "y"})})},
      {"last line without newline", "a\n1\n2", {}, Frame({"a"}, {Ints({1, 2})})},
      {"CR at the very end ends the line", "a\n1\r", {}, Frame({"a"}, {Ints({1})})},
      {"trailing delimiter is a null last field",
       "a,b\n1,",
       {},
       Frame({"a", "b"}, {Ints({1}), Strings({""}, {0})})},
      {"blank lines skipped with several columns",
       "a,b\n1,2\n\n3,4\n\n",
       {},
       Frame({"a", "b"}, {Ints({1, 3}), Ints({2, 4})})},
      {"one column: a blank line is a null cell",
       "a\nx\n\ny\n",
       {},
       Frame({"a"}, {Strings({"x", "", "y"}, {1})})},
      {"int64 overflow widens to double",
       "a\n1\n99999999999999999999\n",
       {},
       Frame({"a"}, {Doubles({1, 1e20})})},
      {"nan and inf stay strings when inferred",
       "a\nnan\ninf\n",
       {},
       Frame({"a"}, {Strings({"nan", "inf"})})},
      {"quoted empty in a numeric column is null",
       "a,b\n\"\",1\n2,1\n",
       {},
       Frame({"a", "b"}, {Ints({0, 2}, {0}), Ints({1, 1})})},
      {"quoted numbers are numbers", "a\n\"12\"\n", {}, Frame({"a"}, {Ints({12})})},
      {"a column with no values is string",
       "a,b\n1,\n2,\n",
       {},
       Frame({"a", "b"}, {Ints({1, 2}), Strings({"", ""}, {0, 1})})},
      {"header only", "a,b\n", {}, Frame({"a", "b"}, {Strings({}), Strings({})})},
      {"empty input", "", {}, Frame()},
      {"a quote inside an unquoted field is data",
       "a\n5'10\"\n",
       {},
       Frame({"a"}, {Strings({"5'10\""})})},
      {"a lone CR inside an unquoted field is data",
       "a\nx\ry\n",
       {},
       Frame({"a"}, {Strings({"x\ry"})})},
      {"multi-byte UTF-8 is kept",
       "nome\nJoão\n€𝄞\n",
       {},
       Frame({"nome"}, {Strings({"João", "€𝄞"})})},
      {"quoted header names",
       "\"a,1\",\"b\"\"\"\n1,2\n",
       {},
       Frame({"a,1", "b\""}, {Ints({1}), Ints({2})})},
      {"semicolon delimiter", "a;b\n1,5;x\n", WithDelimiter(';'),
       Frame({"a", "b"}, {Strings({"1,5"}), Strings({"x"})})},
      {"tab delimiter", "a\tb\n1\t2.5\n", WithDelimiter('\t'),
       Frame({"a", "b"}, {Ints({1}), Doubles({2.5})})},
      {"explicit schema sets types and order", "id,valor\n1,2\n",
       WithSchema({{"valor", DataType::kDouble}, {"id", DataType::kInt64}}),
       Frame({"valor", "id"}, {Doubles({2}), Ints({1})})},
      {"explicit string keeps leading zeros", "cep\n007\n",
       WithSchema({{"cep", DataType::kString}}), Frame({"cep"}, {Strings({"007"})})},
      {"explicit double takes inf", "a\ninf\n-inf\n", WithSchema({{"a", DataType::kDouble}}),
       Frame({"a"}, {Doubles({kInf, -kInf})})},
      {"explicit schema on empty input", "", WithSchema({{"a", DataType::kInt64}}),
       Frame({"a"}, {Ints({})})},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Frame> got = ParseCsv(c.input, c.options);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->schema(), c.want.schema());
    EXPECT_TRUE(*got == c.want) << "got\n" << got->ToString() << "\nwant\n" << c.want.ToString();
  }
}

TEST(ParseCsv, ATypeWidenedLateAppliesToTheWholeColumn) {
  // More rows than ParseCsv converts at a time, so the widening value lands in a later chunk.
  std::string text = "id,valor,nota\n";
  const int rows = 150000;
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i) + "," + (i == rows - 1 ? "0.5" : std::to_string(i)) + "," +
            (i < 70000 ? "" : "7") + "\n";
  }
  absl::StatusOr<Frame> got = ParseCsv(text);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->schema().ToString(), "id:int64, valor:double, nota:int64");
  EXPECT_EQ(got->column("valor").DoubleAt(12345), 12345.0);
  EXPECT_EQ(got->column("valor").DoubleAt(rows - 1), 0.5);
  EXPECT_FALSE(got->column("nota").IsValid(0));
  EXPECT_EQ(got->column("nota").Int64At(rows - 1), 7);
  EXPECT_EQ(got->column("nota").NullCount(), 70000u);
}

struct ErrorCase {
  std::string name;
  std::string input;
  CsvOptions options;
  std::string error;
};

std::string NewTransactionsWithShortRowOnLine17() {
  std::string text = "id,cliente_id,data,valor,moeda\n";
  for (int i = 2; i < 17; ++i) text += std::to_string(i) + ",7,2024-05-01,10.50,BRL\n";
  return text + "17,7,2024-05-01,10.50\n18,7,2024-05-01,1,BRL\n";
}

TEST(ParseCsv, BadInputGivesAnErrorNamingSourceAndLine) {
  const std::vector<ErrorCase> cases = {
      {"ragged row, too few fields",
       NewTransactionsWithShortRowOnLine17(),
       {},
       "new.txt:17: expected 5 fields, found 4"},
      {"ragged row, too many fields", "a,b\n1,2,3\n", {}, "new.txt:2: expected 2 fields, found 3"},
      {"ragged row after a multi-line field",
       "a,b\n\"x\ny\",1\n1\n",
       {},
       "new.txt:4: expected 2 fields, found 1"},
      {"unterminated quote names the line where it opened",
       "a,b\n1,2\n3,\"abc\n4,5\n",
       {},
       "new.txt:3: unterminated quoted field"},
      {"invalid UTF-8 byte", "a\nok\nbad\xFF\n", {}, "new.txt:3: invalid UTF-8 (byte 0xFF)"},
      {"invalid UTF-8 in a quoted field", "a\n\"x\ny\xC3(\"\n", {}, "new.txt:3: invalid UTF-8"},
      {"overlong UTF-8", "a\n\xC0\xAF\n", {}, "new.txt:2: invalid UTF-8 (byte 0xC0)"},
      {"UTF-8 surrogate", "a\n\xED\xA0\x80\n", {}, "new.txt:2: invalid UTF-8 (byte 0xED)"},
      {"UTF-8 cut off by the end", "a\n\xE2\x82", {}, "new.txt:2: invalid UTF-8 (byte 0xE2)"},
      {"invalid UTF-8 in the header", "\xFF\n", {}, "new.txt:1: invalid UTF-8"},
      {"character after a closing quote",
       "a\n\"x\"y\n",
       {},
       "new.txt:2: unexpected character 0x79 after a closing quote in field 1"},
      {"value not a double", "id,valor\n1,2.5\n2,abc\n",
       WithSchema({{"id", DataType::kInt64}, {"valor", DataType::kDouble}}),
       "new.txt:3: column 2 'valor': 'abc' is not a valid double"},
      {"value not an int64", "id\n1\n\n1.5\n", WithSchema({{"id", DataType::kInt64}}),
       "new.txt:4: column 1 'id': '1.5' is not a valid int64"},
      {"schema field missing from the header", "a\n1\n",
       WithSchema({{"a", DataType::kInt64}, {"x", DataType::kInt64}}),
       "new.txt:1: schema field 'x' is not in the header"},
      {"header column missing from the schema", "a,b\n1,2\n", WithSchema({{"a", DataType::kInt64}}),
       "new.txt:1: header column 2 'b' is not in the schema"},
      {"duplicate header name",
       "\xEF\xBB\xBF"
       "a,b,a\n",
       {},
       "new.txt:1: duplicate column name 'a'"},
      {"quote as delimiter", "a\n", WithDelimiter('"'), "invalid delimiter 0x22"},
      {"newline as delimiter", "a\n", WithDelimiter('\n'), "invalid delimiter 0x0A"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Frame> got = ParseCsv(c.input, c.options, "new.txt");
    ASSERT_FALSE(got.ok()) << got->ToString();
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.error));
  }
}

}  // namespace
}  // namespace gym
