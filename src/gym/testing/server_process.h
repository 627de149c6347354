// Running the real `gym serve` binary in end-to-end tests, on an ephemeral loopback port.
//
//   auto server = StartServer(ServeArgs(dir.path()));
//   auto channel = grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials());
//   ...
//   EXPECT_EQ(*(*server)->Stop(), 0);
#ifndef GYM_TESTING_SERVER_PROCESS_H_
#define GYM_TESTING_SERVER_PROCESS_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/loadtest/server_process.h"

namespace gym::testing {

using loadtest::ServerProcess;

// Runs $GYM_BINARY (set by the build for every test) with `args` and waits for its
// "listening on" line. FAILED_PRECONDITION when GYM_BINARY is not set.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartServer(
    std::vector<std::string> args,
    std::chrono::milliseconds startup_timeout = std::chrono::seconds(60));

// Arguments for `gym serve` on an ephemeral loopback port with the database and a quickly
// trained model in `dir`, warnings-only logging, then `extra`.
std::vector<std::string> ServeArgs(const std::string& dir, std::vector<std::string> extra = {});
// The same on database `db` (a file elsewhere, or a PostgreSQL connection string).
std::vector<std::string> ServeArgsOn(const std::string& dir, const std::string& db,
                                     std::vector<std::string> extra = {});

// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A self-signed certificate for localhost and 127.0.0.1 (cert.pem, key.pem in `dir`, made by
// the openssl command line), enough for a server's, a client's and the CA of both. True if
// both files were written.
struct TestCertificate {
  std::string cert;
  std::string key;
};
bool MakeSelfSignedCertificate(const TempDir& dir, TestCertificate* out);

}  // namespace gym::testing

#endif  // GYM_TESTING_SERVER_PROCESS_H_
