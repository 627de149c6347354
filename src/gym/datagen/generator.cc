// Row recipes for the mock data set. Each row draws from its own MockRng stream keyed by
// (seed, kind of row, id), in a fixed order of draws: changing that order changes every data
// set made from a given seed.
#include "gym/datagen/generator.h"

#include <span>
#include <stdexcept>
#include <string>

#include "gym/datagen/names.h"
#include "gym/datagen/rng.h"
#include "gym/domain/categories.h"
#include "gym/domain/currencies.h"

namespace gym {
namespace {

// BRL 0.6 / USD 0.3 / EUR 0.1 (kCurrencies in order), drawn exactly from ten equal slots.
std::string_view DrawCurrency(MockRng& rng) {
  const uint64_t slot = rng.Below(10);
  return kCurrencies[slot < 6 ? 0 : (slot < 9 ? 1 : 2)];
}

template <typename T>
const T& Pick(MockRng& rng, std::span<const T> items) {
  return items[rng.Below(items.size())];
}

// The same calendar day `years` earlier; 29 February falls back to the 28th.
Date YearsBefore(const Date& today, int years) {
  Date d{today.year - years, today.month, today.day};
  if (!d.IsValid()) d.day = 28;
  return d;
}

std::string DateText(int64_t days_since_epoch) {
  return Date::FromDaysSinceEpoch(days_since_epoch).ToString();
}

std::string Address(MockRng& rng) {
  const uint64_t lead = rng.Below(3);
  const std::string_view kind = Pick(rng, StreetKinds());
  const std::string_view street = Pick(rng, StreetNames());
  const int64_t number = rng.UniformInt(1, 3000);
  const uint64_t trail = rng.Below(3);
  std::string out(lead, ' ');
  out.reserve(lead + kind.size() + street.size() + 10 + trail);
  out.append(kind).append(" ").append(street).append(", ").append(std::to_string(number));
  out.append(trail, ' ');
  return out;
}

std::string FullName(MockRng& rng) {
  const std::string_view first = Pick(rng, FirstNames());
  const std::span<const std::string_view> surnames = Surnames();
  const uint64_t s1 = rng.Below(surnames.size());
  std::string out;
  out.reserve(48);
  out.append(first).append(" ").append(surnames[s1]);
  if (rng.Below(2) == 1) {
    // A second surname different from the first: skip s1 in the draw.
    uint64_t s2 = rng.Below(surnames.size() - 1);
    if (s2 >= s1) ++s2;
    out.append(" ").append(surnames[s2]);
  }
  return out;
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

double Cents(int64_t cents) { return static_cast<double>(cents) / 100.0; }

}  // namespace

int SuspiciousLabel(double valor, std::string_view moeda, const Date& date) {
  return (valor > 3000.0 || moeda != "BRL" || date.IsWeekend()) ? 1 : 0;
}

MockGenerator::MockGenerator(uint64_t seed, Date today)
    : seed_(seed),
      today_(today),
      today_days_(today.DaysSinceEpoch()),
      // Age 80 means born after the same day 81 years ago; age 20, on or before it 20 years ago.
      oldest_birth_days_(YearsBefore(today, 81).DaysSinceEpoch() + 1),
      youngest_birth_days_(YearsBefore(today, 20).DaysSinceEpoch()),
      cpfs_(seed) {
  if (!today.IsValid()) {
    throw std::invalid_argument("MockGenerator: today " + today.ToString() +
                                " is not a calendar date");
  }
}

MockClient MockGenerator::Client(int64_t id) const {
  if (id < 0 || static_cast<uint64_t>(id) >= CpfSequence::kCapacity) {
    throw std::out_of_range("MockGenerator::Client: id " + std::to_string(id) + " is outside [0, " +
                            std::to_string(CpfSequence::kCapacity) + ")");
  }
  MockRng rng = MockRng::ForRow(seed_, MockStream::kClient, static_cast<uint64_t>(id));
  MockClient client;
  client.id = id;
  client.nome = FullName(rng);
  client.cpf = cpfs_.At(static_cast<uint64_t>(id));
  client.data_nascimento = DateText(rng.UniformInt(oldest_birth_days_, youngest_birth_days_));
  client.endereco = Address(rng);
  return client;
}

std::string MockGenerator::Cpf(int64_t id) const {
  if (id < 0 || static_cast<uint64_t>(id) >= CpfSequence::kCapacity) {
    throw std::out_of_range("MockGenerator::Cpf: id " + std::to_string(id) + " is outside [0, " +
                            std::to_string(CpfSequence::kCapacity) + ")");
  }
  return cpfs_.At(static_cast<uint64_t>(id));
}

MockTransaction MockGenerator::Transaction(int64_t id, int64_t cliente_id, int64_t min_days,
                                           int64_t max_days, bool historical) const {
  const MockStream stream = historical ? MockStream::kHistorical : MockStream::kNew;
  MockRng rng = MockRng::ForRow(seed_, stream, static_cast<uint64_t>(id));
  MockTransaction t;
  t.id = id;
  t.cliente_id = cliente_id;
  t.data = DateText(today_days_ - rng.UniformInt(min_days, max_days));
  t.valor = Cents(rng.UniformInt(1000, 500000));
  t.moeda = std::string(DrawCurrency(rng));
  if (historical) t.categoria = std::string(Pick<std::string_view>(rng, kCategories));
  return t;
}

MockTransaction MockGenerator::HistoricalTransaction(int64_t id, int64_t cliente_id) const {
  return Transaction(id, cliente_id, 31, 365, /*historical=*/true);
}

MockTransaction MockGenerator::NewTransaction(int64_t id, int64_t cliente_id) const {
  return Transaction(id, cliente_id, 0, 30, /*historical=*/false);
}

MockScore MockGenerator::Score(const std::string& cpf) const {
  MockRng rng = MockRng::ForRow(seed_, MockStream::kScore, Fnv1a(cpf));
  MockScore s;
  s.cpf = cpf;
  s.score = static_cast<int32_t>(rng.UniformInt(300, 900));
  const int64_t renda_cents = rng.UniformInt(150000, 2000000);
  // The factor U(0.5, 2.0) in steps of 0.0001, applied in integer cents (rounded half up) so
  // the limit has exactly two decimals.
  const int64_t factor = rng.UniformInt(5000, 20000);
  s.renda_mensal = Cents(renda_cents);
  s.limite_credito = Cents((renda_cents * factor + 5000) / 10000);
  s.data_ultima_atualizacao = DateText(today_days_ - rng.UniformInt(0, 30));
  return s;
}

LabeledTransaction MockGenerator::Labeled(int64_t id, int64_t cliente_id) const {
  MockRng rng = MockRng::ForRow(seed_, MockStream::kLabeled, static_cast<uint64_t>(id));
  LabeledTransaction row;
  MockTransaction& t = row.t;
  t.id = id;
  t.cliente_id = cliente_id;
  const Date date = today_.AddDays(-rng.UniformInt(0, 59));
  t.data = date.ToString();
  t.valor = Cents(rng.UniformInt(5000, 500000));
  t.moeda = std::string(DrawCurrency(rng));
  row.suspeita = SuspiciousLabel(t.valor, t.moeda, date);
  return row;
}

}  // namespace gym
