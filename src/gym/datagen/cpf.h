// CPF (Cadastro de Pessoas Físicas) numbers: check digits, the `###.###.###-##` form, and a
// seeded sequence of distinct CPFs for the mock-data generator.
//
//   FormatCpf(111444777);               // "111.444.777-35"
//   IsValidCpf("111.444.777-35");       // true
//   CpfSequence cpfs(/*seed=*/7);
//   cpfs.At(0) != cpfs.At(1);           // always: At is injective
#ifndef GYM_DATAGEN_CPF_H_
#define GYM_DATAGEN_CPF_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gym {

// The two check digits of the CPF whose first nine digits are `base`.
// REQUIRES: base < 1'000'000'000.
std::array<int, 2> CpfCheckDigits(uint32_t base);

// "###.###.###-##": `base` zero-padded to nine digits, then its check digits.
// REQUIRES: base < 1'000'000'000.
std::string FormatCpf(uint32_t base);
// Writes the 14 characters of FormatCpf(base) to `out` (no terminator); for hot loops.
void WriteCpf(uint32_t base, char* out);

// True when `formatted` is exactly "###.###.###-##", its check digits are right and its
// nine base digits are not all the same (111.111.111-11 passes the arithmetic but is not
// issued by the Receita Federal).
bool IsValidCpf(std::string_view formatted);

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

#endif  // GYM_DATAGEN_CPF_H_
