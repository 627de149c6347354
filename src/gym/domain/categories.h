// Transaction categories: the seed's ten, and the category a transaction without one gets.
//
// The seed picked a random category for a transaction without one. CategoryFor is a stand-in
// for a real classification model with one property the seed lacked: it is a deterministic hash
// of the transaction id, so a retried event gets the same category. The order of kCategories is
// part of both CategoryFor and the mock data made from a seed.
//
//   CategoryFor(42);  // always the same one of kCategories
#ifndef GYM_DOMAIN_CATEGORIES_H_
#define GYM_DOMAIN_CATEGORIES_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace gym {

inline constexpr std::array<std::string_view, 10> kCategories = {
    "Alimentação", "Transporte", "Educação",       "Saúde",   "Lazer",
    "Moradia",     "Compras",    "Transferências", "Salário", "Outros"};

// One of kCategories, chosen by a splitmix64 hash of `transaction_id`.
std::string_view CategoryFor(int64_t transaction_id);

}  // namespace gym

#endif  // GYM_DOMAIN_CATEGORIES_H_
