#include "gym/server/memory_return.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gym {
namespace {

using Clock = MemoryPressure::Clock;

TEST(MemoryPressure, IsShortForOneSecondAfterARefusal) {
  MemoryPressure pressure;
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(pressure.Short(t0));
  EXPECT_FALSE(pressure.ReturnIfShort(t0)) << "nothing refused yet: no purge on the hot path";
  pressure.Note(t0);
  EXPECT_TRUE(pressure.Short(t0 + std::chrono::milliseconds(999)));
  EXPECT_TRUE(pressure.ReturnIfShort(t0 + std::chrono::milliseconds(10)));
  EXPECT_FALSE(pressure.Short(t0 + std::chrono::seconds(1)));
  EXPECT_FALSE(pressure.ReturnIfShort(t0 + std::chrono::seconds(2)));
}

int64_t RssKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

TEST(ReturnFreedMemory, GivesFreedHeapPagesBack) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's allocator keeps freed memory in quarantine";
#else
  // 64 MiB in 32 KiB blocks (below glibc's mmap threshold, so from the heap), all freed but the
  // last, which pins the top of the heap: the allocator cannot shrink it by itself.
  constexpr size_t kBlock = 32 << 10;
  std::vector<char*> blocks(2048);
  for (char*& b : blocks) {
    b = static_cast<char*>(std::malloc(kBlock));
    std::memset(b, 1, kBlock);
  }
  for (size_t i = 0; i + 1 < blocks.size(); ++i) std::free(blocks[i]);
  const int64_t before = RssKib();
  ReturnFreedMemory();
  const int64_t after = RssKib();
  std::free(blocks.back());
  EXPECT_LT(after, before - 32 * 1024) << "RSS in KiB";
#endif
}

}  // namespace
}  // namespace gym
