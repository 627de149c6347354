#include "gym/sources/file_digest.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  const std::string path =
      ::testing::TempDir() + "/digest_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// FIPS 180-2 test vectors.
TEST(FileSha256Hex, MatchesTheStandardVectors) {
  const struct {
    std::string bytes;
    std::string hex;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {std::string(1'000'000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.bytes.size());
    const std::string path = WriteTemp("vector", c.bytes);
    absl::StatusOr<std::string> hex = FileSha256Hex(path);
    ASSERT_TRUE(hex.ok()) << hex.status();
    EXPECT_EQ(*hex, c.hex);
    std::remove(path.c_str());
  }
}

// Files larger than the read buffer: the same bytes give the same digest under any name, one
// byte changed at the very end gives another.
TEST(FileSha256Hex, DependsOnEveryByteNotOnTheName) {
  std::string bytes(3 * (1 << 20) + 17, 'x');
  const std::string a = WriteTemp("a.txt", bytes);
  const std::string b = WriteTemp("b.txt", bytes);
  bytes.back() = 'y';
  const std::string c = WriteTemp("c.txt", bytes);
  EXPECT_EQ(*FileSha256Hex(a), *FileSha256Hex(b));
  EXPECT_NE(*FileSha256Hex(a), *FileSha256Hex(c));
  for (const std::string& p : {a, b, c}) std::remove(p.c_str());
}

TEST(FileSha256Hex, MissingFileIsNotFoundNamingIt) {
  absl::StatusOr<std::string> hex = FileSha256Hex("/nonexistent/drop.txt");
  EXPECT_EQ(hex.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(hex.status().message(), HasSubstr("/nonexistent/drop.txt"));
}

}  // namespace
}  // namespace gym
