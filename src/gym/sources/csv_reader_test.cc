// Files and streams: CsvReader chunks against a whole read, the tokenizer fed a byte at a time,
// file errors, TXT and records sources.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/sources/csv_source.h"
#include "gym/sources/internal/csv_tokenizer.h"
#include "gym/sources/records_source.h"
#include "gym/sources/txt_source.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "/csv_reader_test_" + std::to_string(::getpid()) + "_" + name;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// About 3 MB of records (several of CsvReader's 1 MiB reads) mixing quoted fields with
// delimiters, doubled quotes and line breaks, CRLF endings and multi-byte UTF-8.
std::string TrickyCsv(int rows) {
  std::string text = "\xEF\xBB\xBFid,nome,valor,nota\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i) + ",";
    text += i % 3 == 0 ? "\"Conceição, \"\"Ana\"\"\nda Silva\"" : absl::StrCat("João ", i);
    absl::StrAppend(&text, ",", i, ".", i % 100, ",");
    text += i % 5 == 0 ? "" : "ok";
    text += i % 2 == 0 ? "\r\n" : "\n";
  }
  return text;
}

std::vector<Frame> ReadChunks(const std::string& path, const CsvOptions& options) {
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<Frame> chunks;
  for (int guard = 0; reader.ok() && guard < 100000; ++guard) {
    absl::StatusOr<std::optional<Frame>> chunk = (*reader)->Next();
    EXPECT_TRUE(chunk.ok()) << chunk.status();
    if (!chunk.ok() || !chunk->has_value()) break;
    chunks.push_back(**chunk);
  }
  return chunks;
}

TEST(CsvReader, ChunksHoldTheSameRowsAsAWholeRead) {
  const std::string path = WriteTemp("tricky.csv", TrickyCsv(60000));
  for (size_t chunk_rows : {size_t{1000}, size_t{7777}, size_t{65536}}) {
    SCOPED_TRACE(chunk_rows);
    CsvOptions options;
    options.chunk_rows = chunk_rows;
    absl::StatusOr<Frame> whole = ReadCsvFile(path, options);
    ASSERT_TRUE(whole.ok()) << whole.status();
    ASSERT_EQ(whole->num_rows(), 60000u);
    std::vector<Frame> chunks = ReadChunks(path, options);
    ASSERT_EQ(chunks.size(), (60000 + chunk_rows - 1) / chunk_rows);
    for (const Frame& c : chunks) EXPECT_LE(c.num_rows(), chunk_rows);
    EXPECT_TRUE(Frame::Concat(chunks) == *whole);
  }
  std::remove(path.c_str());
}

TEST(CsvReader, InferredTypesOnlyWidenFromChunkToChunk) {
  const std::string path = WriteTemp("widen.csv", "a,b\n1,x\n2,\n3.5,\n4,\n5,\n6,\n");
  CsvOptions options;
  options.chunk_rows = 2;
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header(), (std::vector<std::string>{"a", "b"}));
  const std::vector<DataType> want = {DataType::kInt64, DataType::kDouble, DataType::kDouble};
  for (DataType type : want) {
    absl::StatusOr<std::optional<Frame>> chunk = (*reader)->Next();
    ASSERT_TRUE(chunk.ok() && chunk->has_value());
    EXPECT_EQ((*chunk)->column("a").type(), type);
    EXPECT_EQ((*chunk)->column("b").type(), DataType::kString);
    EXPECT_EQ((*reader)->schema(), (*chunk)->schema());
  }
  absl::StatusOr<std::optional<Frame>> end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  std::remove(path.c_str());
}

TEST(CsvReader, ErrorInALaterChunkNamesItsLineAndSticks) {
  std::string text = TrickyCsv(3000);
  text += "1,2,3\n";
  const std::string path = WriteTemp("ragged.csv", text);
  // TrickyCsv(3000) spans 1 header line + 3000 records, 1000 of them on two lines.
  const std::string want = path + ":4002: expected 4 fields, found 3";
  CsvOptions options;
  options.chunk_rows = 100;
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  absl::Status error;
  for (int i = 0; i < 100 && error.ok(); ++i) {
    absl::StatusOr<std::optional<Frame>> chunk = (*reader)->Next();
    if (!chunk.ok())
      error = chunk.status();
    else
      ASSERT_TRUE(chunk->has_value());
  }
  EXPECT_EQ(error.message(), want);
  EXPECT_EQ((*reader)->Next().status(), error);
  EXPECT_EQ(ReadCsvFile(path).status().message(), want);
  std::remove(path.c_str());
}

TEST(CsvReader, EmptyAndHeaderOnlyFiles) {
  const std::string empty = WriteTemp("empty.csv", "");
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(empty);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE((*reader)->header().empty());
  ASSERT_TRUE((*reader)->Next().ok());
  EXPECT_FALSE((*reader)->Next()->has_value());

  const std::string header_only = WriteTemp("header.csv", "id,nome\r\n");
  reader = CsvReader::Open(header_only);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->schema().ToString(), "id:string, nome:string");
  EXPECT_FALSE((*reader)->Next()->has_value());
  std::remove(empty.c_str());
  std::remove(header_only.c_str());
}

TEST(CsvFiles, OpenErrorsNameThePath) {
  const std::string missing = TempPath("does_not_exist.csv");
  absl::StatusOr<Frame> frame = ReadCsvFile(missing);
  EXPECT_EQ(frame.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(frame.status().message()), HasSubstr(missing));
  EXPECT_EQ(CsvReader::Open(missing).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadTxtFile(missing).status().code(), absl::StatusCode::kNotFound);
  const absl::Status dir = ReadCsvFile(testing::TempDir()).status();
  EXPECT_EQ(dir.code(), absl::StatusCode::kInvalidArgument);
  CsvOptions zero;
  zero.chunk_rows = 0;
  EXPECT_EQ(CsvReader::Open(missing, zero).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TxtSource, ReadsWithTheGivenDelimiter) {
  const std::string path = WriteTemp("pipe.txt", "id|moeda\n1|BRL\n2|\"a|b\"\n");
  absl::StatusOr<Frame> frame = ReadTxtFile(path, '|');
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_TRUE(*frame ==
              Frame({"id", "moeda"}, {Column::Ints({1, 2}), Column::Strings({"BRL", "a|b"})}));
  std::remove(path.c_str());
}

TEST(RecordsSource, BuildsTheFrameOfTheRecords) {
  Frame frame = FrameFromRecords(
      {{{"id", int64_t{1}}, {"valor", 2.5}}, {{"id", int64_t{2}}, {"moeda", std::string("BRL")}}});
  EXPECT_EQ(frame.schema().ToString(), "id:int64, valor:double, moeda:string");
  EXPECT_EQ(frame.num_rows(), 2u);
}

// Each record's fields as text plus its line, for comparing tokenizer runs.
using Records = std::vector<std::pair<uint64_t, std::vector<std::string>>>;

// Tokenizes `text`, revealing it to the tokenizer one more byte after every kNeedMore.
Records TokenizeGrowing(const std::string& text, bool one_byte_at_a_time) {
  csv_internal::CsvTokenizer tok(',', "t");
  Records out;
  std::string scratch;
  size_t pos = 0;
  size_t visible = one_byte_at_a_time ? 0 : text.size();
  for (size_t guard = 0; guard < 10 * text.size() + 10; ++guard) {
    const bool at_eof = visible == text.size();
    absl::StatusOr<csv_internal::CsvStep> step =
        tok.Next(std::string_view(text).substr(0, visible), at_eof, &pos, &scratch);
    EXPECT_TRUE(step.ok()) << step.status();
    if (!step.ok() || *step == csv_internal::CsvStep::kEnd) break;
    if (*step == csv_internal::CsvStep::kNeedMore) {
      ++visible;
      continue;
    }
    std::vector<std::string> fields;
    for (const auto& f : tok.record()) fields.emplace_back(f.Text(text, scratch));
    out.emplace_back(tok.record_line(), fields);
  }
  return out;
}

TEST(CsvTokenizer, ByteAtATimeMatchesWholeBuffer) {
  const std::string text = TrickyCsv(40) + "\"end\"\"\",\"\"\r\nlast,\"€\"\r";
  const Records whole = TokenizeGrowing(text, false);
  ASSERT_EQ(whole.size(), 43u);
  EXPECT_EQ(whole.back().first, 57u);
  EXPECT_EQ(TokenizeGrowing(text, true), whole);
}

}  // namespace
}  // namespace gym
