// The key index prototypes of store_limit answer "new" and "duplicate" right, across merges
// and probe chains; a figure of a prototype that stored duplicates would mean nothing.
#include "store_limit_prototypes.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace store_limit {
void Fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::abort();
}

namespace {

std::string ScratchPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "_" + std::to_string(::getpid())))
      .string();
}

// Inserts 300k new keys in two steps with duplicates between: the new ones are new, every
// repeat is a duplicate.
void CheckAnswers(KeyIndexPrototype& index) {
  int wrong = 0;
  for (int i = 0; i < 200'000; ++i) wrong += !index.Insert("event-" + std::to_string(i));
  for (int i = 0; i < 200'000; i += 7) wrong += index.Insert("event-" + std::to_string(i));
  for (int i = 200'000; i < 300'000; ++i) wrong += !index.Insert("event-" + std::to_string(i));
  for (int i = 0; i < 300'000; i += 3) wrong += index.Insert("event-" + std::to_string(i));
  EXPECT_EQ(wrong, 0);
}

TEST(StoreLimitPrototypes, KeyFileAnswersRight) {
  KeyFile index(ScratchPath("keyfile"), 600'000);
  CheckAnswers(index);
}

TEST(StoreLimitPrototypes, BucketFileAnswersRight) {
  BucketFile index(ScratchPath("bucketfile"), 600'000, /*mapped=*/false);
  CheckAnswers(index);
}

TEST(StoreLimitPrototypes, MappedBucketFileAnswersRight) {
  BucketFile index(ScratchPath("bucketmap"), 600'000, /*mapped=*/true);
  CheckAnswers(index);
}

// Merges every 50k keys: the answers must hold across the run file and the recent keys.
TEST(StoreLimitPrototypes, KeyLogAnswersRightAcrossMerges) {
  KeyLog index(ScratchPath("keylog"), 300'000, 50'000);
  CheckAnswers(index);
}

}  // namespace
}  // namespace store_limit
