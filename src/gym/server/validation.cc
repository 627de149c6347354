// The bad-input rules of the ingestion server (see validation.h).
#include "gym/server/validation.h"

#include <cmath>

#include "fmt/core.h"
#include "gym/datagen/cpf.h"
#include "gym/server/timestamps.h"

namespace gym {
namespace {

// Quoted and cut short, so a hostile 1 MB field does not become a 1 MB reason.
std::string Quote(std::string_view value) {
  constexpr size_t kMaxShown = 40;
  if (value.size() <= kMaxShown) return fmt::format("'{}'", value);
  return fmt::format("'{}...'", value.substr(0, kMaxShown));
}

std::optional<ItemError> CheckCpf(std::string_view cpf) {
  if (cpf.empty()) return ItemError{"cpf", "empty"};
  if (!IsAcceptedCpf(cpf)) {
    return ItemError{"cpf", "malformed " + Quote(cpf) +
                                    " (want ###.###.###-## or 11 digits with valid check digits)"};
  }
  return std::nullopt;
}

std::optional<ItemError> CheckDate(std::string_view field, std::string_view date) {
  if (IsCalendarDate(date)) return std::nullopt;
  return ItemError{std::string(field),
                   "not a calendar date " + Quote(date) + " (want YYYY-MM-DD)"};
}

std::optional<ItemError> CheckAmount(std::string_view field, double value) {
  if (!std::isfinite(value)) return ItemError{std::string(field), "not a finite number"};
  if (value < 0) {
    return ItemError{std::string(field), fmt::format("negative ({})", value)};
  }
  return std::nullopt;
}

}  // namespace

bool IsAcceptedCpf(std::string_view cpf) {
  if (cpf.size() == 14) return IsValidCpf(cpf);
  if (cpf.size() != 11) return false;
  for (char c : cpf) {
    if (c < '0' || c > '9') return false;
  }
  const std::string formatted = fmt::format("{}.{}.{}-{}", cpf.substr(0, 3), cpf.substr(3, 3),
                                            cpf.substr(6, 3), cpf.substr(9, 2));
  return IsValidCpf(formatted);
}

bool IsKnownCurrency(std::string_view moeda) {
  return moeda == "BRL" || moeda == "USD" || moeda == "EUR";
}

std::optional<ItemError> ValidateClient(const gym_framework_rpc::ClientData& item) {
  if (auto e = CheckCpf(item.cpf())) return e;
  return CheckDate("data_nascimento", item.data_nascimento());
}

std::optional<ItemError> ValidateTransaction(const gym_framework_rpc::TransactionData& item) {
  if (auto e = CheckDate("data", item.data())) return e;
  if (auto e = CheckAmount("valor", item.valor())) return e;
  if (!IsKnownCurrency(item.moeda())) {
    return ItemError{"moeda",
                     "unknown currency " + Quote(item.moeda()) + " (want BRL, USD or EUR)"};
  }
  return std::nullopt;
}

std::optional<ItemError> ValidateScore(const gym_framework_rpc::ScoreData& item) {
  if (auto e = CheckCpf(item.cpf())) return e;
  if (item.score() < 0 || item.score() > 1000) {
    return ItemError{"score", fmt::format("out of range ({}; want 0-1000)", item.score())};
  }
  if (auto e = CheckAmount("renda_mensal", item.renda_mensal())) return e;
  if (auto e = CheckAmount("limite_credito", item.limite_credito())) return e;
  return CheckDate("data_ultima_atualizacao", item.data_ultima_atualizacao());
}

}  // namespace gym
