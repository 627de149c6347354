#include "gym/sinks/file_publish.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class FilePublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("publish_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  fs::path dir_;
};

TEST_F(FilePublishTest, RenameNoReplaceNeverOverwrites) {
  const std::string from = Write(".new.tmp", "new");
  const std::string to = Write("out.csv", "old");
  absl::Status st = RenameNoReplace(from, to);
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(st.message(), HasSubstr(to));
  EXPECT_EQ(Read("out.csv"), "old");
  EXPECT_EQ(Read(".new.tmp"), "new");  // left for the caller to retry or remove
  ASSERT_TRUE(RenameNoReplace(from, (dir_ / "free.csv").string()).ok());
  EXPECT_EQ(Read("free.csv"), "new");
  EXPECT_FALSE(fs::exists(from));
}

TEST_F(FilePublishTest, PublishUnderFreeNameSkipsTakenNames) {
  Write("r_0.csv", "first run");
  Write("r_1.csv", "second run");
  const std::string from = Write(".r.tmp", "third run");
  auto name = [&](uint64_t n) { return (dir_ / ("r_" + std::to_string(n) + ".csv")).string(); };
  absl::StatusOr<std::string> taken = PublishUnderFreeName(from, name, 0);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(*taken, name(2));
  EXPECT_EQ(Read("r_0.csv"), "first run");
  EXPECT_EQ(Read("r_1.csv"), "second run");
  EXPECT_EQ(Read("r_2.csv"), "third run");
}

TEST_F(FilePublishTest, MissingSourceNamesBothPaths) {
  absl::Status st = RenameNoReplace((dir_ / "nope").string(), (dir_ / "to").string());
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("nope"));
  EXPECT_THAT(st.message(), HasSubstr("to"));
}

}  // namespace
}  // namespace gym
