// CpfSequence: a seeded sequence of distinct valid CPFs for the mock-data generator, so client
// `id` gets a CPF no other id gets without anyone remembering the ones already issued. The CPF
// arithmetic itself is domain/cpf.h.
//
//   CpfSequence cpfs(/*seed=*/7);
//   cpfs.At(0) != cpfs.At(1);           // always: At is injective
#ifndef GYM_DATAGEN_CPF_SEQUENCE_H_
#define GYM_DATAGEN_CPF_SEQUENCE_H_

#include <array>
#include <cstdint>
#include <string>

#include "gym/domain/cpf.h"

namespace gym {

// A seeded injective map from an index to a valid CPF base, so a generator can give client
// `id` a CPF that no other id gets without remembering the ones it issued. Different seeds
// give different orders. Thread-safe (immutable).
class CpfSequence final {
 public:
  // Indices [0, kCapacity) map to distinct bases: every nine-digit number except the ten
  // repeated-digit ones.
  static constexpr uint64_t kCapacity = 1'000'000'000 - 10;

  explicit CpfSequence(uint64_t seed);

  // The nine-digit base for `index`. REQUIRES: index < kCapacity (throws std::out_of_range).
  uint32_t BaseAt(uint64_t index) const;
  std::string At(uint64_t index) const { return FormatCpf(BaseAt(index)); }

 private:
  uint32_t Permute(uint32_t x) const;

  std::array<uint32_t, 4> round_keys_;
};

}  // namespace gym

#endif  // GYM_DATAGEN_CPF_SEQUENCE_H_
