// KeyIndex: every key added is found with its rowid through memtable, runs and merges; keys
// never added are almost never candidates; hash collisions keep every rowid.
#include "gym/storage/key_index.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<int64_t> Find(const KeyIndex& index, uint64_t hash) {
  std::vector<int64_t> rowids;
  absl::Status s = index.Find(hash, rowids);
  EXPECT_TRUE(s.ok()) << s;
  return rowids;
}

TEST(KeyHashTest, IsStableAndSpreadsNeighbours) {
  // Run files outlive no process, but a hash that changed between builds would still be a
  // silent bug for anything that compared them: pin one value.
  EXPECT_EQ(KeyHash("batch-1:0"), KeyHash(std::string("batch-1:") + "0"));
  EXPECT_NE(KeyHash("batch-1:0"), KeyHash("batch-1:1"));
  EXPECT_NE(KeyHash(""), KeyHash(std::string(1, '\0')));
  // Neighbouring keys differ in about half their bits.
  const int differing = __builtin_popcountll(KeyHash("e1000") ^ KeyHash("e1001"));
  EXPECT_GT(differing, 16);
  EXPECT_LT(differing, 48);
}

TEST(KeyIndexTest, FindsEveryKeyThroughFlushesAndMerges) {
  absl::StatusOr<std::unique_ptr<KeyIndex>> index =
      KeyIndex::Create({.memtable_entries = 1000, .merge_fanout = 4});
  ASSERT_TRUE(index.ok()) << index.status();
  constexpr int kKeys = 60'000;  // 60 memtables: merged through three tiers
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_TRUE((*index)->Add(KeyHash(absl::StrCat("k", i)), i + 1).ok());
    if (i == kKeys / 2) {
      // Half way, while merges may be running: what is there is found.
      EXPECT_THAT(Find(**index, KeyHash("k7")), ElementsAre(8));
    }
  }
  (*index)->WaitForMerges();
  ASSERT_TRUE((*index)->merge_status().ok()) << (*index)->merge_status();
  EXPECT_EQ((*index)->size(), static_cast<uint64_t>(kKeys));
  // Size tiers with a fanout of 4 leave at most 3 runs per tier.
  EXPECT_LE((*index)->run_count(), 9u);
  EXPECT_GE((*index)->run_count(), 1u);
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_THAT(Find(**index, KeyHash(absl::StrCat("k", i))), ElementsAre(i + 1)) << i;
  }
  int false_candidates = 0;
  for (int i = 0; i < kKeys; ++i) {
    false_candidates += static_cast<int>(!Find(**index, KeyHash(absl::StrCat("absent", i))).empty());
  }
  // An absent key has no candidate: the filter or the look-up of its hash rules it out.
  EXPECT_EQ(false_candidates, 0);
}

TEST(KeyIndexTest, MemtableStartsSmallAndGrowsWithItsKeys) {
  absl::StatusOr<std::unique_ptr<KeyIndex>> index =
      KeyIndex::Create({.memtable_entries = size_t{1} << 16});
  ASSERT_TRUE(index.ok()) << index.status();
  // A table with few keys keeps a few kilobytes, not the full table's 2 MB.
  EXPECT_LE((*index)->memtable_bytes(), size_t{16} << 10);
  constexpr int kKeys = 40'000;  // more than a first table holds, fewer than a flush
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_TRUE((*index)->Add(KeyHash(absl::StrCat("g", i)), i + 1).ok());
  }
  EXPECT_EQ((*index)->run_count(), 0u);
  EXPECT_GE((*index)->memtable_bytes(), size_t{2 * kKeys} * sizeof(KeyIndex::Entry));
  EXPECT_LE((*index)->memtable_bytes(), size_t{2} << 20);
  // Every key moved with the growths is found where it was put.
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_THAT(Find(**index, KeyHash(absl::StrCat("g", i))), ElementsAre(i + 1)) << i;
  }
}

TEST(KeyIndexTest, KeepsEveryRowidOfOneHash) {
  absl::StatusOr<std::unique_ptr<KeyIndex>> index =
      KeyIndex::Create({.memtable_entries = 4, .merge_fanout = 2});
  ASSERT_TRUE(index.ok()) << index.status();
  ASSERT_TRUE((*index)->Add(42, 1).ok());
  ASSERT_TRUE((*index)->Add(42, 2).ok());  // a collision inside the memtable
  EXPECT_THAT(Find(**index, 42), UnorderedElementsAre(1, 2));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE((*index)->Add(1000 + i, 100 + i).ok());
  ASSERT_TRUE((*index)->Add(42, 3).ok());  // and one across runs
  for (int i = 0; i < 20; ++i) ASSERT_TRUE((*index)->Add(5000 + i, 200 + i).ok());
  (*index)->WaitForMerges();
  EXPECT_THAT(Find(**index, 42), UnorderedElementsAre(1, 2, 3));
  EXPECT_THAT(Find(**index, 43), IsEmpty());
}

TEST(KeyIndexTest, ManyRowidsOfOneHashSpanBlocks) {
  absl::StatusOr<std::unique_ptr<KeyIndex>> index =
      KeyIndex::Create({.memtable_entries = 100, .merge_fanout = 2});
  ASSERT_TRUE(index.ok()) << index.status();
  // 600 entries of one hash fill more than two 256-entry blocks of a run.
  std::vector<int64_t> expected;
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE((*index)->Add(7, i).ok());
    ASSERT_TRUE((*index)->Add(3 + (i % 2) * 100, 10'000 + i).ok());
    expected.push_back(i);
  }
  (*index)->WaitForMerges();
  std::vector<int64_t> found = Find(**index, 7);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, expected);
}

TEST(KeyIndexTest, AFailedRunWriteIsReported) {
  absl::StatusOr<std::unique_ptr<KeyIndex>> index =
      KeyIndex::Create({.dir = "/nonexistent-gym-dir", .memtable_entries = 8});
  ASSERT_TRUE(index.ok()) << index.status();
  absl::Status failed;
  for (int i = 0; i < 1000 && failed.ok(); ++i) {
    failed = (*index)->Add(static_cast<uint64_t>(i) * 7919, i);
    std::vector<int64_t> rowids;
    if (failed.ok()) failed = (*index)->Find(static_cast<uint64_t>(i) * 7919, rowids);
  }
  EXPECT_FALSE(failed.ok());
  EXPECT_THAT(std::string(failed.message()), ::testing::HasSubstr("run file"));
}

}  // namespace
}  // namespace gym
