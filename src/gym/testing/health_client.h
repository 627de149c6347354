// A grpc.health.v1 client for tests: the serving status a server reports for a service.
//
//   absl::StatusOr<HealthState> s = CheckHealth(channel, "");   // "" = the whole server
#ifndef GYM_TESTING_HEALTH_CLIENT_H_
#define GYM_TESTING_HEALTH_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace gym::testing {

enum class HealthState { kUnknown, kServing, kNotServing, kServiceUnknown };

// The reported state, or the RPC's error (UNAVAILABLE when the server is gone).
absl::StatusOr<HealthState> CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                        const std::string& service,
                                        std::chrono::milliseconds timeout =
                                            std::chrono::seconds(5));

}  // namespace gym::testing

#endif  // GYM_TESTING_HEALTH_CLIENT_H_
