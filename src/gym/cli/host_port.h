// Checks of the addresses given to --listen, --metrics-listen and --target, so that a typo
// fails at once and names the flag: gRPC itself takes "host:99999" as port 34463 (the port
// wraps around) and a missing port as 443.
#ifndef GYM_CLI_HOST_PORT_H_
#define GYM_CLI_HOST_PORT_H_

#include <string>

#include "CLI/CLI.hpp"

namespace gym {

// "" when `address` is HOST:PORT or [IPv6]:PORT with a non-empty host and a decimal port in
// [min_port, 65535]; otherwise why not. A gRPC target with a scheme (dns:, ipv4:, ipv6:,
// unix:, unix-abstract:) is left to gRPC.
std::string CheckHostPort(const std::string& address, int min_port);

// CLI11 validators: a listening address may use port 0 (the system picks one), a target not.
CLI::Validator ListenAddress();
CLI::Validator TargetAddress();

}  // namespace gym

#endif  // GYM_CLI_HOST_PORT_H_
