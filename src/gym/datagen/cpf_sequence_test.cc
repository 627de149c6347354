// CpfSequence: distinct valid CPFs over a long run and at the edges of its capacity; seeds
// give different orders.
#include "gym/datagen/cpf_sequence.h"

#include <stdexcept>
#include <string>
#include <unordered_set>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(CpfSequenceTest, SequenceIsUniqueAndValidOver100k) {
  const CpfSequence cpfs(12345);
  std::unordered_set<std::string> seen;
  for (uint64_t i = 0; i < 100'000; ++i) {
    const std::string cpf = cpfs.At(i);
    ASSERT_TRUE(IsValidCpf(cpf)) << "index " << i << ": " << cpf;
    ASSERT_TRUE(seen.insert(cpf).second) << "index " << i << " repeats " << cpf;
  }
}

TEST(CpfSequenceTest, SequenceCoversTheEdgesOfItsCapacity) {
  const CpfSequence cpfs(7);
  for (uint64_t i : {uint64_t{0}, uint64_t{111'111'110}, uint64_t{111'111'111},
                     CpfSequence::kCapacity - 2, CpfSequence::kCapacity - 1}) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(IsValidCpf(cpfs.At(i))) << cpfs.At(i);
  }
  EXPECT_THROW(cpfs.BaseAt(CpfSequence::kCapacity), std::out_of_range);
}

TEST(CpfSequenceTest, SeedsGiveDifferentOrders) {
  const CpfSequence a(1);
  const CpfSequence b(2);
  int same = 0;
  for (uint64_t i = 0; i < 1000; ++i) same += a.BaseAt(i) == b.BaseAt(i) ? 1 : 0;
  EXPECT_LT(same, 5);
  EXPECT_EQ(CpfSequence(1).At(42), a.At(42));
}

}  // namespace
}  // namespace gym
