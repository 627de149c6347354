// MockGenerator: the rows of the seed's mock data set (clients, historical and new
// transactions, credit scores, labeled training transactions), each a pure function of
// (seed, today, row id), so any subset of rows can be made in any order, on any thread, and
// comes out the same on every platform.
//
//   MockGenerator gen(/*seed=*/42, *Date::Parse("2026-11-26"));
//   MockClient c = gen.Client(1);                  // valid, unique CPF
//   MockTransaction t = gen.HistoricalTransaction(1, c.id);
//   MockScore s = gen.Score(c.cpf);
//   LabeledTransaction l = gen.Labeled(1, c.id);   // l.suspeita == SuspiciousLabel(...)
#ifndef GYM_DATAGEN_GENERATOR_H_
#define GYM_DATAGEN_GENERATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gym/datagen/cpf_sequence.h"
#include "gym/domain/dates.h"

namespace gym {

struct MockClient {
  int64_t id = 0;
  std::string nome;
  std::string cpf;              // "###.###.###-##"
  std::string data_nascimento;  // YYYY-MM-DD
  std::string endereco;  // "Rua|Avenida|Praça <street>, <number>", 0-2 stray spaces each side
};

struct MockTransaction {
  int64_t id = 0;
  int64_t cliente_id = 0;
  std::string data;  // YYYY-MM-DD
  double valor = 0;  // two decimals
  std::string moeda;
  std::optional<std::string> categoria;  // historical rows only
};

struct MockScore {
  std::string cpf;
  int32_t score = 0;
  double renda_mensal = 0;
  double limite_credito = 0;
  std::string data_ultima_atualizacao;  // YYYY-MM-DD
};

struct LabeledTransaction {
  MockTransaction t;
  int suspeita = 0;
};

// The training label: 1 when valor > 3000, or moeda is not BRL, or the date is a Saturday or
// Sunday; 0 otherwise.
int SuspiciousLabel(double valor, std::string_view moeda, const Date& date);

class MockGenerator final {
 public:
  // Ages and transaction dates count back from `today` (REQUIRES: a valid date between the
  // years 100 and 9999).
  MockGenerator(uint64_t seed, Date today);

  uint64_t seed() const { return seed_; }
  const Date& today() const { return today_; }

  // Distinct ids get distinct CPFs. REQUIRES: 0 <= id < CpfSequence::kCapacity (throws
  // std::out_of_range otherwise). Age 20 to 80 on `today`.
  MockClient Client(int64_t id) const;
  // Client(id).cpf alone, without drawing the rest of the row (same REQUIRES).
  std::string Cpf(int64_t id) const;
  // 31 to 365 days old, with a categoria; valor 10.00 to 5000.00.
  MockTransaction HistoricalTransaction(int64_t id, int64_t cliente_id) const;
  // 0 to 30 days old, no categoria; valor 10.00 to 5000.00.
  MockTransaction NewTransaction(int64_t id, int64_t cliente_id) const;
  // Score 300 to 900, renda 1500.00 to 20000.00, limite = renda x U(0.5, 2.0), updated 0 to
  // 30 days ago. The same cpf always gets the same row.
  MockScore Score(const std::string& cpf) const;
  // The seed's training rows: valor 50.00 to 5000.00, BRL 0.6 / USD 0.3 / EUR 0.1, 0 to 59
  // days old, no categoria, labeled by SuspiciousLabel.
  LabeledTransaction Labeled(int64_t id, int64_t cliente_id) const;

 private:
  MockTransaction Transaction(int64_t id, int64_t cliente_id, int64_t min_days, int64_t max_days,
                              bool historical) const;

  uint64_t seed_;
  Date today_;
  int64_t today_days_;
  // Birth dates span [oldest_birth_days_, youngest_birth_days_] (days since the epoch).
  int64_t oldest_birth_days_;
  int64_t youngest_birth_days_;
  CpfSequence cpfs_;
};

}  // namespace gym

#endif  // GYM_DATAGEN_GENERATOR_H_
