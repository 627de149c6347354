// The per-batch log line: its format, and that the seed's pattern reads it.
#include "gym/loadtest/log_line.h"

#include <regex>
#include <string>

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

const std::regex kSeedPattern(R"(Round-trip=([\d\.]+)s)");

TEST(LogLineTest, AnsweredBatch) {
  BatchLogRecord r;
  r.type = BatchType::kTransactions;
  r.batch_id = "r7-c0-transactions-3";
  r.items = 200;
  r.success = true;
  r.acked = 200;
  r.server_seconds = 0.000412;
  r.round_trip_seconds = 0.000873;
  EXPECT_EQ(FormatBatchLogLine(r),
            "type=transactions batch_id=r7-c0-transactions-3 items=200 success=true acked=200 "
            "server_duration=0.000412s Round-trip=0.000873s");
}

TEST(LogLineTest, RetriedBatchSaysHowOftenAndKeepsTheSeedPattern) {
  BatchLogRecord r;
  r.type = BatchType::kClients;
  r.batch_id = "r7-c0-clients-2";
  r.items = 100;
  r.success = true;
  r.acked = 100;
  r.server_seconds = 0.00039;
  r.round_trip_seconds = 0.041217;
  r.retries = 3;
  const std::string line = FormatBatchLogLine(r);
  EXPECT_EQ(line,
            "type=clients batch_id=r7-c0-clients-2 items=100 success=true acked=100 "
            "server_duration=0.000390s retries=3 Round-trip=0.041217s");
  EXPECT_DOUBLE_EQ(*ParseRoundTrip(line), 0.041217);
  r.rpc_code = 8;
  r.rpc_message = "busy";
  EXPECT_EQ(FormatBatchLogLine(r),
            "type=clients batch_id=r7-c0-clients-2 items=100 success=false "
            "rpc_error=RESOURCE_EXHAUSTED(8) message=\"busy\" retries=3 elapsed=0.041217s");
}

TEST(LogLineTest, SeedPatternReadsEveryMagnitudeAsPlainDecimal) {
  for (double seconds : {0.0, 1e-7, 0.000873, 0.5, 31.0, 12345.678901}) {
    SCOPED_TRACE(seconds);
    BatchLogRecord r;
    r.batch_id = "b";
    r.round_trip_seconds = seconds;
    const std::string line = FormatBatchLogLine(r);
    EXPECT_EQ(line.find('e', line.find("Round-trip=")), std::string::npos) << line;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, kSeedPattern)) << line;
    EXPECT_NEAR(std::stod(m[1].str()), seconds, 5e-7);
    ASSERT_TRUE(ParseRoundTrip(line).has_value());
    EXPECT_DOUBLE_EQ(*ParseRoundTrip(line), std::stod(m[1].str()));
  }
}

TEST(LogLineTest, FailedRpcHasCodeAndNoRoundTrip) {
  BatchLogRecord r;
  r.type = BatchType::kScores;
  r.batch_id = "r7-c1-scores-0";
  r.items = 100;
  r.rpc_code = 4;
  r.rpc_message = "Deadline \"Exceeded\"\nlate";
  r.round_trip_seconds = 60.0001;
  const std::string line = FormatBatchLogLine(r);
  EXPECT_EQ(line,
            "type=scores batch_id=r7-c1-scores-0 items=100 success=false "
            "rpc_error=DEADLINE_EXCEEDED(4) message=\"Deadline 'Exceeded' late\" "
            "elapsed=60.000100s");
  EXPECT_TRUE(IsRpcErrorLine(line));
  EXPECT_FALSE(std::regex_search(line, kSeedPattern));
  EXPECT_FALSE(ParseRoundTrip(line).has_value());
}

TEST(LogLineTest, ParseRoundTripLikeTheRegex) {
  struct Case {
    const char* line;
    double want;  // < 0: no match
  };
  for (const Case& c :
       {Case{"x Round-trip=1.5s", 1.5}, Case{"Round-trip=s Round-trip=2s", 2},
        Case{"Round-trip=3", -1}, Case{"round-trip=3s", -1}, Case{"no time here", -1}}) {
    SCOPED_TRACE(c.line);
    const std::optional<double> got = ParseRoundTrip(c.line);
    if (c.want < 0) {
      EXPECT_FALSE(got.has_value());
    } else {
      ASSERT_TRUE(got.has_value());
      EXPECT_DOUBLE_EQ(*got, c.want);
    }
  }
}

TEST(LogLineTest, StatusCodeNames) {
  EXPECT_EQ(StatusCodeName(0), "OK");
  EXPECT_EQ(StatusCodeName(14), "UNAVAILABLE");
  EXPECT_EQ(StatusCodeName(16), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(99), "CODE_UNKNOWN");
}

}  // namespace
}  // namespace gym::loadtest
