// MockRng: the mock-data generator's random numbers, defined bit for bit so a seed gives the same
// bytes on every platform and compiler (std:: distributions are implementation-defined).
//
// Every generated row draws from its own stream, keyed by (seed, stream, row id). A row's
// values therefore do not depend on which thread made it or in what order, so generating in
// parallel stays deterministic.
//
//   MockRng rng = MockRng::ForRow(seed, MockStream::kClient, id);
//   int64_t age_days = rng.UniformInt(0, 365);
//   bool heads = rng.UniformReal() < 0.5;
#ifndef GYM_DATAGEN_RNG_H_
#define GYM_DATAGEN_RNG_H_

#include <cstdint>

namespace gym {

// SplitMix64's output function: a bijective 64-bit mixer with full avalanche.
constexpr uint64_t MockMix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One independent family of streams per kind of generated row.
enum class MockStream : uint64_t {
  kClient = 1,
  kHistorical = 2,
  kNew = 3,
  kScore = 4,
  kLabeled = 5,
  kClientPick = 6,
  kCpfKey = 7,
  kDropDelay = 8,
};

// SplitMix64 (Steele, Lea and Flood, 2014): 64 bits of state, passes BigCrush, and a
// fresh stream costs one multiply-xorshift, which suits a handful of draws per row.
class MockRng final {
 public:
  explicit constexpr MockRng(uint64_t state) : state_(state) {}

  // The stream for one row. Start states are hashed, so streams of neighbouring ids do not
  // overlap within the few draws a row makes.
  static constexpr MockRng ForRow(uint64_t seed, MockStream stream, uint64_t id) {
    const uint64_t key =
        MockMix64(seed ^ MockMix64(static_cast<uint64_t>(stream) * 0x9e3779b97f4a7c15ULL));
    return MockRng(MockMix64(key ^ MockMix64(id + 0x632be59bd9b4e019ULL)));
  }

  constexpr uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return MockMix64(state_);
  }

  // Uniform in [0, n). REQUIRES: n > 0. Lemire's multiply-shift with rejection, so it is
  // exactly uniform and needs a division only on the rare rejected draw.
  constexpr uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  constexpr int64_t UniformInt(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) return static_cast<int64_t>(Next());  // the full 64-bit range
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + Below(span));
  }

  // Uniform in [0, 1) with 53 random bits.
  constexpr double UniformReal() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi).
  constexpr double UniformReal(double lo, double hi) { return lo + (hi - lo) * UniformReal(); }

 private:
  uint64_t state_;
};

}  // namespace gym

#endif  // GYM_DATAGEN_RNG_H_
