#include "gym/server/memory_return.h"

#include <malloc.h>

#include <atomic>
#include <cstddef>

// jemalloc's control call, when the binary is linked with it (the gym binary is, by default;
// test binaries and sanitizer builds are not). Weak: null without jemalloc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace gym {

void ReturnFreedMemory() {
  static std::atomic<bool> running{false};
  if (running.exchange(true, std::memory_order_acquire)) return;
  if (mallctl != nullptr) {
    // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
  } else {
    malloc_trim(0);
  }
  running.store(false, std::memory_order_release);
}

}  // namespace gym
