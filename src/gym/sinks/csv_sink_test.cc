// CSV sink: the exact text it writes, and the round trip sink -> source.
#include "gym/sinks/csv_sink.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "gym/sources/csv_source.h"

namespace gym {
namespace {

Column WithNulls(Column column, const std::vector<size_t>& nulls) {
  for (size_t r : nulls) column.SetNull(r);
  return column;
}

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "/csv_sink_test_" + std::to_string(::getpid()) + "_" + name;
}

struct FormatCase {
  std::string name;
  Frame frame;
  char delimiter;
  std::string want;
};

TEST(FormatCsv, QuotesOnlyWhenNeeded) {
  const std::vector<FormatCase> cases = {
      {"plain values",
       Frame({"id", "moeda"}, {Column::Ints({1, -2}), Column::Strings({"BRL", "a b"})}), ',',
       "id,moeda\n1,BRL\n-2,a b\n"},
      {"delimiter, quote and line breaks are quoted",
       Frame({"s"}, {Column::Strings({"x,y", "say \"hi\"", "l1\nl2", "cr\r"})}), ',',
       "s\n\"x,y\"\n\"say \"\"hi\"\"\"\n\"l1\nl2\"\n\"cr\r\"\n"},
      {"null is empty, empty string is quoted",
       Frame({"a", "b"},
             {WithNulls(Column::Ints({1, 0}), {1}), WithNulls(Column::Strings({"", "z"}), {1})}),
       ',', "a,b\n1,\"\"\n,\n"},
      {"doubles in shortest round-trip form",
       Frame({"v"},
             {Column::Doubles({0.1, 3, 1e21, -2.5e-300, std::numeric_limits<double>::infinity()})}),
       ',', "v\n0.1\n3\n1e+21\n-2.5e-300\ninf\n"},
      {"other delimiter: commas are not quoted",
       Frame({"a;b", "c"}, {Column::Strings({"1,5"}), Column::Ints({2})}), ';',
       "\"a;b\";c\n1,5;2\n"},
      {"numbers are quoted under a delimiter they contain",
       Frame({"v", "i"}, {Column::Doubles({0.5, 2}), Column::Ints({-1, 3})}), '.',
       "v.i\n\"0.5\".-1\n2.3\n"},
      {"a name starting with a byte order mark keeps it",
       Frame({"\xEF\xBB\xBFid"}, {Column::Ints({1})}), ',', "\xEF\xBB\xBF\xEF\xBB\xBFid\n1\n"},
      {"no columns", Frame(), ',', ""},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FormatCsv(c.frame, c.delimiter), c.want);
  }
  EXPECT_THROW(FormatCsv(Frame(), '"'), std::invalid_argument);
}

// A frame with every awkward value the format has to carry.
Frame AwkwardFrame() {
  return Frame(
      {"id", "valor", "texto", "vazio"},
      {WithNulls(Column::Ints({std::numeric_limits<int64_t>::min(), 0,
                               std::numeric_limits<int64_t>::max(), 7, 8}),
                 {3}),
       WithNulls(Column::Doubles({0.1, -0.0, 1e300, 123456789.125, 3}), {4}),
       WithNulls(Column::Strings({"a,b", "\"q\"", "multi\r\nline", " spaced ", "João €"}), {1}),
       WithNulls(Column::Strings({"", "", "x", "", ""}), {2, 4})});
}

TEST(CsvRoundTrip, WhatTheSinkWritesReadsBackIdenticallyWithTheSchema) {
  const Frame frame = AwkwardFrame();
  for (char delimiter : {',', ';', '\t', '|'}) {
    SCOPED_TRACE(std::string(1, delimiter));
    const std::string path = TempPath("round_trip.csv");
    ASSERT_TRUE(WriteCsvFile(frame, path, delimiter).ok());
    CsvOptions options;
    options.delimiter = delimiter;
    options.schema = frame.schema();
    absl::StatusOr<Frame> back = ReadCsvFile(path, options);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(*back == frame) << back->ToString();
    EXPECT_EQ(back->schema(), frame.schema());
    std::ifstream tmp(path + ".tmp");
    EXPECT_FALSE(tmp.good()) << "the temporary file is left behind";
    std::remove(path.c_str());
  }
}

TEST(CsvRoundTrip, InferenceReadsWholeDoublesAsInt64) {
  const Frame frame({"inteiro", "fracao", "nome"},
                    {Column::Doubles({1, 2}), Column::Doubles({1, 2.5}),
                     WithNulls(Column::Strings({"", "Ana"}), {})});
  absl::StatusOr<Frame> back = ParseCsv(FormatCsv(frame));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->schema().ToString(), "inteiro:int64, fracao:double, nome:string");
  EXPECT_TRUE(back->column("fracao") == frame.column("fracao"));
  EXPECT_TRUE(back->column("nome") == frame.column("nome"));
  absl::StatusOr<Frame> typed = ParseCsv(FormatCsv(frame), {.schema = frame.schema()});
  ASSERT_TRUE(typed.ok()) << typed.status();
  EXPECT_TRUE(*typed == frame);
}

TEST(CsvRoundTrip, OneColumnWithNullsAndEmptyStrings) {
  const Frame frame({"s"}, {WithNulls(Column::Strings({"", "", "a", ""}), {1, 3})});
  absl::StatusOr<Frame> back = ParseCsv(FormatCsv(frame), {.schema = frame.schema()});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(*back == frame) << back->ToString();
}

TEST(WriteCsvFile, ReplacesTheFileAndReportsBadPaths) {
  const std::string path = TempPath("replace.csv");
  ASSERT_TRUE(WriteCsvFile(AwkwardFrame(), path).ok());
  ASSERT_TRUE(WriteCsvFile(Frame({"a"}, {Column::Ints({1})}), path).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "a\n1\n");
  std::remove(path.c_str());

  const std::string bad = TempPath("no_such_dir") + "/out.csv";
  absl::Status st = WriteCsvFile(AwkwardFrame(), bad);
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(st.message().find(bad), absl::string_view::npos) << st;
  EXPECT_EQ(WriteCsvFile(AwkwardFrame(), path, '\n').code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gym
