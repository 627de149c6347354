// The one place where an internal absl::Status becomes the grpc::Status a client sees.
#ifndef GYM_SERVER_STATUS_MAPPING_H_
#define GYM_SERVER_STATUS_MAPPING_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace gym {

// Same code (absl and gRPC share the canonical code numbers) and message. An unknown code
// becomes UNKNOWN rather than an out-of-range enum value.
grpc::Status ToGrpcStatus(const absl::Status& status);
// The reverse, for statuses gRPC-side code produced (authentication, cancellation).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace gym

#endif  // GYM_SERVER_STATUS_MAPPING_H_
