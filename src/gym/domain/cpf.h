// CPF (Cadastro de Pessoas Físicas) numbers: check digits and the `###.###.###-##` form, as
// the server validates them and the mock data writes them (its seeded sequence of distinct
// CPFs is datagen/cpf_sequence.h).
//
//   FormatCpf(111444777);               // "111.444.777-35"
//   IsValidCpf("111.444.777-35");       // true
#ifndef GYM_DOMAIN_CPF_H_
#define GYM_DOMAIN_CPF_H_

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

}  // namespace gym

#endif  // GYM_DOMAIN_CPF_H_
