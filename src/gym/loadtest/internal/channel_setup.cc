// Credentials, authorization header and per-client channels (see channel_setup.h).
#include "gym/loadtest/internal/channel_setup.h"

#include <fstream>
#include <sstream>

#include "fmt/format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "gym/loadtest/internal/callback_queue_pin.h"

namespace gym::loadtest::internal {
namespace fs = std::filesystem;
namespace {

absl::StatusOr<std::string> ReadWholeFile(const fs::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{} {}: cannot open", what, path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsFiles& tls) {
  if (tls.ca.empty() && tls.cert.empty() && tls.key.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  const struct {
    const fs::path& path;
    const char* flag;
    std::string& pem;
  } files[] = {{tls.ca, "--tls-ca", ssl.pem_root_certs},
               {tls.cert, "--tls-cert", ssl.pem_cert_chain},
               {tls.key, "--tls-key", ssl.pem_private_key}};
  for (const auto& f : files) {
    if (f.path.empty()) continue;
    absl::StatusOr<std::string> pem = ReadWholeFile(f.path, f.flag);
    if (!pem.ok()) return pem.status();
    f.pem = *std::move(pem);
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::string> AuthorizationFor(const fs::path& token_file) {
  if (token_file.empty()) return std::string();
  absl::StatusOr<std::string> token = ReadWholeFile(token_file, "--auth-token-file");
  if (!token.ok()) return token.status();
  token->erase(token->find_last_not_of(" \t\r\n") + 1);
  if (token->empty()) {
    return absl::InvalidArgumentError(
        fmt::format("--auth-token-file {}: empty token", token_file.string()));
  }
  return "Bearer " + *token;
}

}  // namespace

absl::StatusOr<ClientCredentials> ClientCredentialsFor(const TlsFiles& tls,
                                                       const fs::path& token_file) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> channel = ChannelCredentialsFor(tls);
  if (!channel.ok()) return channel.status();
  absl::StatusOr<std::string> authorization = AuthorizationFor(token_file);
  if (!authorization.ok()) return authorization.status();
  return ClientCredentials{*std::move(channel), *std::move(authorization)};
}

std::shared_ptr<grpc::Channel> OwnConnection(
    const std::string& target, int index, const std::shared_ptr<grpc::ChannelCredentials>& creds) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("gym.loadtest.client_index", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  // Calls go round the target's addresses (several replicas: "ipv4:A:P1,B:P2", or a name
  // with several addresses), skipping those that fail; with one address it is that one. A
  // call answered UNAVAILABLE is sent again (same batch, same event ids), so it lands on
  // another replica.
  args.SetServiceConfigJSON(R"({"loadBalancingConfig": [{"round_robin": {}}]})");
  return grpc::CreateCustomChannel(target, creds, args);
}

std::vector<std::shared_ptr<grpc::Channel>> ConnectOwnChannels(
    const std::string& target, int count, const std::shared_ptr<grpc::ChannelCredentials>& creds,
    std::chrono::nanoseconds deadline) {
  PinCallbackQueue(OwnConnection(target, count, creds));
  const auto connect_by = std::chrono::system_clock::now() +
                          std::min<std::chrono::nanoseconds>(std::chrono::seconds(10), deadline);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) channels.push_back(OwnConnection(target, i, creds));
  for (const auto& channel : channels) channel->WaitForConnected(connect_by);
  return channels;
}

}  // namespace gym::loadtest::internal
