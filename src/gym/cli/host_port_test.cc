// Address checks of --listen / --target: what passes, and what each refusal says.
#include "gym/cli/host_port.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

TEST(CheckHostPort, AcceptsHostPortBracketedIpv6AndSchemes) {
  for (const char* ok : {"127.0.0.1:50051", "localhost:1", "[::1]:65535", "example.org:443",
                         "unix:/tmp/gym.sock", "dns:///gym.internal:50051", "ipv4:127.0.0.1:5"}) {
    SCOPED_TRACE(ok);
    EXPECT_EQ(CheckHostPort(ok, 1), "");
  }
  EXPECT_EQ(CheckHostPort("127.0.0.1:0", 0), "");  // listen: the system picks the port
}

TEST(CheckHostPort, RefusalsSayWhatIsWrong) {
  EXPECT_THAT(CheckHostPort("127.0.0.1", 1), HasSubstr("want HOST:PORT"));
  EXPECT_THAT(CheckHostPort(":50051", 1), HasSubstr("host is missing"));
  EXPECT_THAT(CheckHostPort("::1:50051", 1), HasSubstr("IPv6 host in brackets"));
  EXPECT_THAT(CheckHostPort("127.0.0.1:http", 1), HasSubstr("must be a number"));
  EXPECT_THAT(CheckHostPort("127.0.0.1:", 1), HasSubstr("must be a number"));
  EXPECT_THAT(CheckHostPort("127.0.0.1:99999", 0), HasSubstr("outside 0-65535"));
  EXPECT_THAT(CheckHostPort("127.0.0.1:0", 1), HasSubstr("outside 1-65535"));
  EXPECT_THAT(CheckHostPort("", 1), HasSubstr("want HOST:PORT"));
}

TEST(CheckTargetList, ReplicasBecomeOneAddressListForRoundRobin) {
  std::string v4 = "127.0.0.1:50051,127.0.0.1:50052";
  EXPECT_EQ(CheckTargetList(v4), "");
  EXPECT_EQ(v4, "ipv4:127.0.0.1:50051,127.0.0.1:50052");
  std::string v6 = "[::1]:1,[::1]:2";
  EXPECT_EQ(CheckTargetList(v6), "");
  EXPECT_EQ(v6, "ipv6:[::1]:1,[::1]:2");
  std::string one = "127.0.0.1:50051";
  EXPECT_EQ(CheckTargetList(one), "");
  EXPECT_EQ(one, "127.0.0.1:50051");
  std::string bad_item = "127.0.0.1:1,127.0.0.1:http";
  EXPECT_THAT(CheckTargetList(bad_item), HasSubstr("item 2: "));
  std::string names = "a.example:1,b.example:2";
  EXPECT_THAT(CheckTargetList(names), HasSubstr("IP addresses of one family"));
  std::string mixed = "127.0.0.1:1,[::1]:2";
  EXPECT_THAT(CheckTargetList(mixed), HasSubstr("IP addresses of one family"));
}

}  // namespace
}  // namespace gym
