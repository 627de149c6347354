// Address checks for the command line (see host_port.h).
#include "gym/cli/host_port.h"

#include <array>
#include <string_view>

namespace gym {

std::string CheckHostPort(const std::string& address, int min_port) {
  constexpr std::array<std::string_view, 5> kSchemes = {
      "dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"};
  for (std::string_view scheme : kSchemes) {
    if (address.starts_with(scheme)) return "";
  }
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return "'" + address + "': want HOST:PORT, e.g. 127.0.0.1:50051";
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.empty() || host == "[]") return "'" + address + "': the host is missing";
  if (host.front() != '[' && host.find(':') != std::string::npos) {
    return "'" + address + "': write an IPv6 host in brackets, e.g. [::1]:50051";
  }
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return "'" + address + "': the port must be a number";
  }
  const int value = std::stoi(port);
  if (value < min_port || value > 65535) {
    return "'" + address + "': port " + port + " is outside " + std::to_string(min_port) + "-65535";
  }
  return "";
}

CLI::Validator ListenAddress() {
  return CLI::Validator([](std::string& s) { return CheckHostPort(s, 0); }, "HOST:PORT");
}

CLI::Validator TargetAddress() {
  return CLI::Validator([](std::string& s) { return CheckHostPort(s, 1); }, "HOST:PORT");
}

}  // namespace gym
