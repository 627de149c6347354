// ClientProfileHandler: one profile per client, joining clients, their transactions and their
// scores, which arrive as separate messages (a fan-in node with several inputs).
//
// Each message is told apart by its columns: transactions have `cliente_id` (and `data` and
// the value column); scores have `score` (and `cpf`, `renda_mensal`); clients have `id` and
// `cpf`. It accumulates like the other metrics (see metric_handler.h) and outputs, after each
// message, the profile of every client seen so far, ascending by id:
//
//   cliente_id, cpf      the client (clients.id; scores join by cpf)
//   transacoes, saldo    how many transactions (transactions.cliente_id = id), sum of values
//   valor_medio          saldo / transacoes (null without transactions)
//   frequencia_30d       transactions per 30 days: transacoes x 30 / the days from the first
//                        to the last transaction, counted as at least 30 (so a client whose
//                        transactions fall within one month shows just their count)
//   score, renda_mensal  from the client's score (null until it arrives)
//   limite_emprestimo    the loan limit: renda_mensal x a factor of the score band
//                        (below 500: 0; 500-649: 1; 650-799: 2; 800 and up: 3)
//
// Order of arrival does not matter: transactions or a score that come before their client
// are kept and count once it arrives. A later row for the same client or cpf replaces the
// earlier one. Rows it cannot use (a null id, cliente_id or cpf of a score; a date that is
// not YYYY-MM-DD; a null or non-finite value, score or income) are skipped and reported.
//
//   ClientProfileHandler profiles;            // value column "valor"
//   (void)profiles.Handle(clients);           // one row per client, no transactions yet
//   (void)profiles.Handle(transactions);
//   absl::StatusOr<Frame> out = profiles.Handle(scores);  // + score and limite_emprestimo
#ifndef GYM_HANDLERS_CLIENT_PROFILE_H_
#define GYM_HANDLERS_CLIENT_PROFILE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"

namespace gym {

// The loan-limit rule of the profiles: renda_mensal times the factor of the score's band.
double LoanLimit(int64_t score, double renda_mensal);

class ClientProfileHandler final : public MetricHandler {
 public:
  // `value_column`: the transaction column summed into saldo ("valor_brl" after a
  // currency_to_brl node, so balances of several currencies add up).
  explicit ClientProfileHandler(std::string value_column = "valor", MetricOptions options = {});

 private:
  struct Client {
    std::optional<std::string> cpf;
  };
  struct Activity {
    int64_t count = 0;
    double total = 0.0;
    int64_t first_day = 0;  // days since 1970-01-01
    int64_t last_day = 0;
  };
  struct Score {
    int64_t score = 0;
    double renda_mensal = 0.0;
  };

  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;
  // REQUIRES: `input` has the columns Accumulate checks for its kind of message.
  void AddClients(const Frame& input);
  void AddTransactions(const Frame& input);
  void AddScores(const Frame& input);
  Frame ClientsFrame() const;
  Frame ActivityFrame() const;
  Frame ScoresFrame() const;

  const std::string value_column_;
  std::map<int64_t, Client> clients_;               // ordered: the output is ascending by id
  std::unordered_map<int64_t, Activity> activity_;  // by cliente_id, known client or not
  std::unordered_map<std::string, Score> scores_;   // by cpf
};

// The `client_profile` part of pipeline files (option `value_column`).
PartInfo ClientProfilePart();

}  // namespace gym

#endif  // GYM_HANDLERS_CLIENT_PROFILE_H_
