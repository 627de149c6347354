// The currencies a transaction may carry: the seed's three, by ISO 4217 code. The server
// refuses any other `moeda`, and the mock generator draws these in this order (weights BRL 0.6,
// USD 0.3, EUR 0.1), so the order is part of every data set made from a seed.
//
//   IsKnownCurrency("USD");  // true
//   IsKnownCurrency("usd");  // false: codes are upper case, as the seed's clients send them
#ifndef GYM_DOMAIN_CURRENCIES_H_
#define GYM_DOMAIN_CURRENCIES_H_

#include <array>
#include <string_view>

namespace gym {

inline constexpr std::array<std::string_view, 3> kCurrencies = {"BRL", "USD", "EUR"};

// True when `code` is exactly one of kCurrencies.
constexpr bool IsKnownCurrency(std::string_view code) {
  for (std::string_view known : kCurrencies) {
    if (code == known) return true;
  }
  return false;
}

}  // namespace gym

#endif  // GYM_DOMAIN_CURRENCIES_H_
