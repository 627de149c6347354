// Channels of `gym loadtest`: credentials, the authorization header and one connection per
// simulated client. Shared by `run` (the simulator) and `ping` (the transport floor).
#ifndef GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_
#define GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace gym::loadtest::internal {

// PEM files of the client side of TLS; all empty: plaintext.
struct TlsFiles {
  std::filesystem::path ca;    // roots trusted for the server; empty: the system's
  std::filesystem::path cert;  // with key: the client certificate chain (mutual TLS)
  std::filesystem::path key;
};

struct ClientCredentials {
  std::shared_ptr<grpc::ChannelCredentials> channel;
  std::string authorization;  // the header's value; "" for none
};

// The channel credentials are insecure when every TLS file is empty, otherwise TLS trusting
// the roots in `tls.ca` (the system's when empty) and presenting `tls.cert` with `tls.key` when
// given. The authorization is "" when `token_file` is empty, otherwise "Bearer <token>"
// (trailing blanks trimmed). INVALID_ARGUMENT for an empty token, NOT_FOUND for a file that
// cannot be read; each names its flag. REQUIRES: tls.cert and tls.key both given or both empty
// (the options' validation checks it).
absl::StatusOr<ClientCredentials> ClientCredentialsFor(const TlsFiles& tls,
                                                       const std::filesystem::path& token_file);

// A channel with a connection of its own: distinct channel arguments and a local subchannel
// pool, as separate processes (the seed's clients) would have.
std::shared_ptr<grpc::Channel> OwnConnection(
    const std::string& target, int index, const std::shared_ptr<grpc::ChannelCredentials>& creds);

// `count` own connections (indices 0..count-1), connected before a clock starts so that no
// round trip includes a handshake: each waits at most min(10 s, deadline), and one that cannot
// connect fails its calls later, where they are counted. Pins gRPC's callback queue first
// (callback_queue_pin.h), as every caller of the callback API here must.
std::vector<std::shared_ptr<grpc::Channel>> ConnectOwnChannels(
    const std::string& target, int count, const std::shared_ptr<grpc::ChannelCredentials>& creds,
    std::chrono::nanoseconds deadline);

}  // namespace gym::loadtest::internal

#endif  // GYM_LOADTEST_INTERNAL_CHANNEL_SETUP_H_
