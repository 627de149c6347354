// Embedded word lists for mock Brazilian people and addresses. UTF-8, with accents where the
// names carry them (the normalizer's job is to fold them).
#ifndef GYM_DATAGEN_NAMES_H_
#define GYM_DATAGEN_NAMES_H_

#include <span>
#include <string_view>

namespace gym {

// At least 200 first names, female and male.
std::span<const std::string_view> FirstNames();
// At least 100 family names.
std::span<const std::string_view> Surnames();
// Street names without the kind ("Sete de Setembro", not "Rua Sete de Setembro").
std::span<const std::string_view> StreetNames();
// "Rua", "Avenida", "Praça".
std::span<const std::string_view> StreetKinds();

}  // namespace gym

#endif  // GYM_DATAGEN_NAMES_H_
