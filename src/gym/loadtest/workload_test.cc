// Workload planning: counts, scaling, ids and batch ids.
#include "gym/loadtest/workload.h"

#include <set>

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

TEST(WorkloadTest, SeedShapeCounts) {
  const WorkloadShape seed;
  EXPECT_EQ(seed.ClientsPerSimulatedClient(), 2000);
  EXPECT_EQ(seed.TransactionsPerSimulatedClient(), 20000);
  EXPECT_EQ(seed.ScoresPerSimulatedClient(), 2000);
  EXPECT_EQ(seed.BatchesPerSimulatedClient(), 140);
  const std::vector<BatchSpec> plan = PlanClientWorkload(seed, IdLayout::For(seed, 0), 0);
  ASSERT_EQ(plan.size(), 140u);
  // Order: a client batch, its 5 transaction batches, ... then the 20 score batches.
  EXPECT_EQ(plan[0].type, BatchType::kClients);
  for (size_t i = 1; i <= 5; ++i) EXPECT_EQ(plan[i].type, BatchType::kTransactions);
  EXPECT_EQ(plan[6].type, BatchType::kClients);
  EXPECT_EQ(plan[6].ordinal, 1);
  EXPECT_EQ(plan[119].type, BatchType::kTransactions);
  EXPECT_EQ(plan[119].ordinal, 99);
  EXPECT_EQ(plan[120].type, BatchType::kScores);
  EXPECT_EQ(plan[139].ordinal, 19);
}

TEST(WorkloadTest, ScaleMultipliesBatchCountsNotSizes) {
  struct Case {
    double factor;
    int client_batches;
    int score_batches;
  };
  for (const Case& c :
       {Case{1, 20, 20}, Case{2, 40, 40}, Case{0.1, 2, 2}, Case{0.01, 1, 1}, Case{0.25, 5, 5}}) {
    SCOPED_TRACE(c.factor);
    const WorkloadShape s = WorkloadShape().Scaled(c.factor);
    EXPECT_EQ(s.client_batches, c.client_batches);
    EXPECT_EQ(s.score_batches, c.score_batches);
    EXPECT_EQ(s.tx_batches_per_client_batch, 5);
    EXPECT_EQ(s.tx_batch_size, 200);
    EXPECT_EQ(s.client_batch_size, 100);
  }
}

TEST(WorkloadTest, IdsAreUniqueAcrossClientsAndRuns) {
  WorkloadShape shape;
  shape.client_batches = 3;
  shape.client_batch_size = 4;
  shape.tx_batches_per_client_batch = 2;
  shape.tx_batch_size = 5;
  shape.score_batches = 2;
  shape.score_batch_size = 3;
  const IdLayout first = IdLayout::For(shape, 1000);
  EXPECT_EQ(first.per_client, 30);  // 30 transactions > 12 clients
  const IdLayout second = IdLayout::For(shape, first.End(2));
  std::set<int64_t> client_ids;
  std::set<int64_t> tx_ids;
  for (const IdLayout& ids : {first, second}) {
    for (int c = 0; c < 2; ++c) {
      for (const BatchSpec& b : PlanClientWorkload(shape, ids, c)) {
        for (int j = 0; j < b.items && b.type != BatchType::kScores; ++j) {
          auto& seen = b.type == BatchType::kClients ? client_ids : tx_ids;
          EXPECT_TRUE(seen.insert(b.first_id + j).second) << b.first_id + j;
        }
      }
    }
  }
  EXPECT_EQ(client_ids.size(), 2u * 2 * 12);
  EXPECT_EQ(tx_ids.size(), 2u * 2 * 30);
  EXPECT_EQ(*client_ids.begin(), 1001);
}

TEST(WorkloadTest, TransactionsAndScoresReferenceSentClients) {
  WorkloadShape shape;
  shape.client_batches = 2;
  shape.client_batch_size = 3;
  shape.tx_batches_per_client_batch = 1;
  shape.score_batches = 3;
  shape.score_batch_size = 4;
  const std::vector<BatchSpec> plan = PlanClientWorkload(shape, IdLayout::For(shape, 0), 1);
  ASSERT_EQ(plan.size(), 7u);
  EXPECT_EQ(plan[1].ref_first_local, 0);
  EXPECT_EQ(plan[1].ref_count, 3);
  EXPECT_EQ(plan[3].ref_first_local, 3);  // the second client batch
  // 12 scores cycle over the 6 clients sent.
  EXPECT_EQ(plan[4].first_local, 0);
  EXPECT_EQ(plan[5].first_local, 4);
  EXPECT_EQ(plan[6].first_local, 2);
  EXPECT_EQ(plan[6].ref_count, 6);
}

TEST(WorkloadTest, BatchIdFormat) {
  EXPECT_EQ(BatchId("r42", 3, BatchType::kTransactions, 17), "r42-c3-transactions-17");
  EXPECT_EQ(BatchId("s1-n2", 0, BatchType::kScores, 0), "s1-n2-c0-scores-0");
}

TEST(WorkloadTest, ValidateNamesTheOption) {
  WorkloadShape bad;
  bad.tx_batch_size = 0;
  EXPECT_NE(bad.Validate().message().find("--tx-batch-size"), std::string_view::npos);
  WorkloadShape orphan;
  orphan.client_batches = 0;
  EXPECT_FALSE(orphan.Validate().ok());
  EXPECT_TRUE(WorkloadShape().Validate().ok());
}

}  // namespace
}  // namespace gym::loadtest
