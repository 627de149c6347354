// Transport credentials of gym serve: plaintext, TLS (--tls-cert, --tls-key) or mutual TLS
// (plus --tls-client-ca: clients must present a certificate signed by that CA).
#ifndef GYM_SERVER_TLS_CONFIG_H_
#define GYM_SERVER_TLS_CONFIG_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace gym {

struct TlsFiles {
  std::string cert;       // PEM certificate chain
  std::string key;        // PEM private key
  std::string client_ca;  // PEM CA bundle; set: mutual TLS
};

// Insecure credentials when no file is given. INVALID_ARGUMENT when only one of cert and key
// is given, or a client CA without them; NOT_FOUND naming a file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files);

// The whole content of `path`; NOT_FOUND naming `flag` and the path when unreadable.
absl::StatusOr<std::string> ReadPemFile(const std::string& flag, const std::string& path);

}  // namespace gym

#endif  // GYM_SERVER_TLS_CONFIG_H_
