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

// Several replicas as one target: "A:P1,B:P2" (each HOST:PORT checked, items counted from 1)
// becomes gRPC's address list "ipv4:A:P1,B:P2" (or "ipv6:[A]:P1,..."), whose calls the
// client spreads over the replicas. The hosts must be IP addresses of one family: a name
// resolves to its own list (dns:NAME). "" on success, with `address` rewritten; otherwise why
// not.
std::string CheckTargetList(std::string& address);

// CLI11 validators (TargetAddress rewrites: add it with ->transform): a listening address may
// use port 0 (the system picks one), a target not;
// a target may be a list of replicas (CheckTargetList).
CLI::Validator ListenAddress();
CLI::Validator TargetAddress();

}  // namespace gym

#endif  // GYM_CLI_HOST_PORT_H_
