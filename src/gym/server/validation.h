// Item validation for the ingestion server: the bad-input rules of DESIGN.md §3.
//
// A bad item inside a good batch is rejected with its field and a reason; the rest of the
// batch goes on. Rules: CPF empty or malformed (###.###.###-## or 11 digits, check digits
// right); a date that is not a real calendar day in YYYY-MM-DD, or outside the window of
// ValidationLimits; an amount that is not finite or is negative; a currency other than BRL,
// USD, EUR; a score outside 0-1000; a text longer than its limit (kMax*Bytes); a known field
// sent with the wrong protobuf wire type (the parser keeps it as an unknown field, and the
// field would otherwise be stored as its default, valor 0.0).
//
//   std::optional<ItemError> e = ValidateTransaction(t);
//   if (e) Reject(index, e->Reason());   // "moeda: unknown currency 'XYZ' (want BRL, USD or EUR)"
#ifndef GYM_SERVER_VALIDATION_H_
#define GYM_SERVER_VALIDATION_H_

#include <cstddef>
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

// Longest texts an item may carry, in bytes (UTF-8): longer ones are rejected.
inline constexpr size_t kMaxNameBytes = 256;      // nome
inline constexpr size_t kMaxAddressBytes = 512;   // endereco
inline constexpr size_t kMaxCategoryBytes = 64;   // categoria

// The window a date must fall in, inclusive, as YYYY-MM-DD (compared as text, which orders
// four-digit years correctly). The server sets `latest` to one year after today.
struct ValidationLimits {
  std::string earliest_date = "1900-01-01";
  std::string latest_date = "9999-12-31";
};

// The first known field of `message` that arrived with the wrong wire type, as an error.
// Unknown field numbers (a newer client's fields) are not errors.
std::optional<ItemError> WrongWireType(const google::protobuf::Message& message);

// True for "###.###.###-##" or 11 bare digits with correct check digits.
bool IsAcceptedCpf(std::string_view cpf);

std::optional<ItemError> ValidateClient(const gym_framework_rpc::ClientData& item,
                                       const ValidationLimits& limits = {});
std::optional<ItemError> ValidateTransaction(const gym_framework_rpc::TransactionData& item,
                                            const ValidationLimits& limits = {});
std::optional<ItemError> ValidateScore(const gym_framework_rpc::ScoreData& item,
                                      const ValidationLimits& limits = {});

}  // namespace gym

#endif  // GYM_SERVER_VALIDATION_H_
