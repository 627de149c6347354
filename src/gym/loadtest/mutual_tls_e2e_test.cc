// End to end: `gym loadtest run` and `ping` present a client certificate (--tls-cert,
// --tls-key) to a `gym serve` that requires one (--tls-client-ca), and are refused without it.
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym::loadtest {
namespace {

using ::gym::testing::CommandResult;
using ::gym::testing::RunGym;
using ::gym::testing::ServeArgs;
using ::gym::testing::StartServer;
using ::gym::testing::TempDir;

TEST(MutualTlsE2eTest, LoadtestPresentsTheClientCertificate) {
  TempDir dir;
  // One self-signed certificate serves as the server's, the client's and the CA of both.
  ::gym::testing::TestCertificate pem;
  ASSERT_TRUE(::gym::testing::MakeSelfSignedCertificate(dir, &pem));
  const std::string cert = pem.cert, key = pem.key;
  auto server = StartServer(
      ServeArgs(dir.path(), {"--tls-cert", cert, "--tls-key", key, "--tls-client-ca", cert}));
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string target = (*server)->target();
  const std::vector<std::string> run = {"--log-level",
                                        "warn",
                                        "loadtest",
                                        "run",
                                        "--target",
                                        target,
                                        "--clients",
                                        "2",
                                        "--client-batches",
                                        "1",
                                        "--client-batch-size",
                                        "10",
                                        "--tx-batches",
                                        "2",
                                        "--tx-batch-size",
                                        "20",
                                        "--score-batches",
                                        "1",
                                        "--score-batch-size",
                                        "10",
                                        "--mode",
                                        "closed",
                                        "--retries",
                                        "0",
                                        "--logs",
                                        dir.File("logs"),
                                        "--tls-ca",
                                        cert};

  std::vector<std::string> with_cert = run;
  with_cert.insert(with_cert.end(), {"--deadline", "20s", "--tls-cert", cert, "--tls-key", key});
  CommandResult good = RunGym(with_cert);
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("8 answered, 0 RPC errors"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("\nlost: 0\n"), std::string::npos) << good.out;

  // The same run without a certificate gets no answer at all (the handshake fails; a short
  // deadline, since the client waits that long for its connections).
  std::vector<std::string> without_cert = run;
  without_cert.insert(without_cert.end(), {"--deadline", "1s"});
  CommandResult anonymous = RunGym(without_cert);
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.out << anonymous.err;
  EXPECT_NE(anonymous.err.find("no batch was answered"), std::string::npos) << anonymous.err;

  CommandResult ping = RunGym({"--log-level", "warn", "loadtest", "ping", "--target", target,
                               "--count", "3", "--pause-min", "0", "--pause-max", "0", "--tls-ca",
                               cert, "--tls-cert", cert, "--tls-key", key});
  EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  EXPECT_EQ(*(*server)->Stop(), 0);
}

}  // namespace
}  // namespace gym::loadtest
