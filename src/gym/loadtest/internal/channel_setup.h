// Channels of `gym loadtest`: credentials, the authorization header and one connection per
// simulated client. Shared by `run` (the simulator) and `ping` (the transport floor).
#ifndef GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_
#define GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace gym::loadtest::internal {

// Insecure when `tls_ca` is empty; otherwise TLS trusting the PEM roots in that file.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const std::filesystem::path& tls_ca);

// "" when `token_file` is empty; otherwise "Bearer <token>" (trailing blanks trimmed).
// INVALID_ARGUMENT for an empty token, NOT_FOUND for a file that cannot be read.
absl::StatusOr<std::string> AuthorizationFor(const std::filesystem::path& token_file);

// A channel with a connection of its own: distinct channel arguments and a local subchannel
// pool, as separate processes (the seed's clients) would have.
std::shared_ptr<grpc::Channel> OwnConnection(
    const std::string& target, int index, const std::shared_ptr<grpc::ChannelCredentials>& creds);

}  // namespace gym::loadtest::internal

#endif  // GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_
