// Bearer-token authentication of gym serve (--auth-token-file).
//
// Every call must carry the metadata `authorization: Bearer <token>`; a missing or wrong
// token is UNAUTHENTICATED. The comparison takes the same time whatever the token's first
// wrong byte, so response timing does not leak the token.
//
//   auto token = LoadAuthToken("/etc/gym/token");   // file content, surrounding space trimmed
//   grpc::Status s = CheckBearer(ctx->client_metadata(), *token);
#ifndef GYM_SERVER_AUTH_H_
#define GYM_SERVER_AUTH_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/string_ref.h"

namespace gym {

// The token in `path`, trimmed. INVALID_ARGUMENT when the file is empty, NOT_FOUND when it
// cannot be read.
absl::StatusOr<std::string> LoadAuthToken(const std::string& path);

// OK when `metadata` holds "authorization: Bearer <expected>"; UNAUTHENTICATED otherwise.
// An empty `expected` means authentication is off: always OK.
grpc::Status CheckBearer(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                         std::string_view expected);

// Equality in time independent of where the inputs first differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gym

#endif  // GYM_SERVER_AUTH_H_
