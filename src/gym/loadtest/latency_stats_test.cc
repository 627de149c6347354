// Percentiles and moments against values computed by hand.
#include "gym/loadtest/latency_stats.h"

#include <vector>

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

TEST(PercentileTest, InterpolatesLinearlyBetweenClosestRanks) {
  const std::vector<double> four = {10, 20, 30, 40};
  struct Case {
    double p;
    double want;
  };
  // h = (n - 1) * p; value = x[floor h] + frac(h) * (x[floor h + 1] - x[floor h]).
  for (const Case& c :
       {Case{0.0, 10}, Case{0.25, 17.5}, Case{0.5, 25}, Case{0.9, 37}, Case{1.0, 40}}) {
    SCOPED_TRACE(c.p);
    EXPECT_DOUBLE_EQ(Percentile(four, c.p), c.want);
  }
}

TEST(PercentileTest, SingleSampleIsEveryPercentile) {
  const std::vector<double> one = {7};
  for (double p : {0.0, 0.5, 0.999, 1.0}) EXPECT_DOUBLE_EQ(Percentile(one, p), 7);
}

TEST(SummarizeTest, KnownSamples) {
  // Sorted 1, 2, 3, 4, 10: mean 4; deviations -3 -2 -1 0 6, squares sum 50, /4 = 12.5.
  std::vector<double> samples = {4, 10, 1, 3, 2};
  const LatencySummary s = Summarize(samples);
  EXPECT_EQ(s.samples, 5);
  EXPECT_DOUBLE_EQ(s.mean, 4);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_NEAR(s.stddev, 3.5355339059327378, 1e-12);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_NEAR(s.p90, 7.6, 1e-12);     // h = 3.6
  EXPECT_NEAR(s.p95, 8.8, 1e-12);     // h = 3.8
  EXPECT_NEAR(s.p99, 9.76, 1e-12);    // h = 3.96
  EXPECT_NEAR(s.p999, 9.976, 1e-12);  // h = 3.996
}

TEST(SummarizeTest, EmptyIsAllZero) {
  std::vector<double> none;
  const LatencySummary s = Summarize(none);
  EXPECT_EQ(s.samples, 0);
  EXPECT_EQ(s.mean, 0);
  EXPECT_EQ(s.p99, 0);
}

}  // namespace
}  // namespace gym::loadtest
