// Address checks for the command line (see host_port.h).
#include "gym/cli/host_port.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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

namespace {

bool IsIpv4(const std::string& host) {
  if (host.empty() || host.find_first_not_of("0123456789.") != std::string::npos) return false;
  return std::count(host.begin(), host.end(), '.') == 3;
}

}  // namespace

std::string CheckTargetList(std::string& address) {
  if (address.find(',') == std::string::npos) return CheckHostPort(address, 1);
  if (address.starts_with("ipv4:") || address.starts_with("ipv6:")) return "";
  std::vector<std::string> items = absl::StrSplit(address, ',');
  bool v4 = true, v6 = true;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string why = CheckHostPort(items[i], 1);
    if (!why.empty()) return absl::StrCat("item ", i + 1, ": ", why);
    const std::string host = items[i].substr(0, items[i].rfind(':'));
    v4 = v4 && IsIpv4(host);
    v6 = v6 && host.front() == '[';
  }
  if (!v4 && !v6) {
    return "'" + address + "': several targets must be IP addresses of one family (" +
           "e.g. 127.0.0.1:50051,127.0.0.1:50052); for a name use dns:NAME:PORT";
  }
  address = absl::StrCat(v4 ? "ipv4:" : "ipv6:", address);
  return "";
}

CLI::Validator ListenAddress() {
  return CLI::Validator([](std::string& s) { return CheckHostPort(s, 0); }, "HOST:PORT");
}

CLI::Validator TargetAddress() {
  return CLI::Validator([](std::string& s) { return CheckTargetList(s); }, "HOST:PORT[,HOST:PORT...]");
}

}  // namespace gym
