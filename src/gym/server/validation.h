// Item validation for the ingestion server: the bad-input rules of DESIGN.md §3.
//
// A bad item inside a good batch is rejected with its field and a reason; the rest of the
// batch goes on. Rules: CPF empty or malformed (###.###.###-## or 11 digits, check digits
// right); a date that is not a real calendar day in YYYY-MM-DD; an amount that is not finite or
// is negative; a currency other than BRL, USD, EUR; a score outside 0-1000.
//
//   std::optional<ItemError> e = ValidateTransaction(t);
//   if (e) Reject(index, e->Reason());   // "moeda: unknown currency 'XYZ' (want BRL, USD or EUR)"
#ifndef GYM_SERVER_VALIDATION_H_
#define GYM_SERVER_VALIDATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "gym/proto/event_ingestion_service.pb.h"

namespace gym {

// Why one item was rejected. `field` is the proto field name; it is also the metrics label.
struct ItemError {
  std::string field;
  std::string message;
  std::string Reason() const { return field + ": " + message; }
};

// True for "###.###.###-##" or 11 bare digits with correct check digits.
bool IsAcceptedCpf(std::string_view cpf);
bool IsKnownCurrency(std::string_view moeda);

std::optional<ItemError> ValidateClient(const gym_framework_rpc::ClientData& item);
std::optional<ItemError> ValidateTransaction(const gym_framework_rpc::TransactionData& item);
std::optional<ItemError> ValidateScore(const gym_framework_rpc::ScoreData& item);

}  // namespace gym

#endif  // GYM_SERVER_VALIDATION_H_
