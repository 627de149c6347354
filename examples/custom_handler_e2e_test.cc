// The custom_handler example end to end: its own part is known to every gym command it runs,
// and unknown to the gym binary.
#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/sources/sqlite_source.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

using ::gym::testing::CommandResult;
using ::gym::testing::RunGym;
using ::gym::testing::TempDir;
using ::testing::HasSubstr;

const std::string kPipeline = std::string(GYM_SOURCE_DIR) + "/examples/custom_handler.toml";

// RunGym runs $GYM_BINARY: point it at the example, then back at gym.
CommandResult RunExample(const std::vector<std::string>& args) {
  const std::string gym = std::getenv("GYM_BINARY") == nullptr ? "" : std::getenv("GYM_BINARY");
  setenv("GYM_BINARY", CUSTOM_HANDLER_BINARY, 1);
  CommandResult r = RunGym(args);
  setenv("GYM_BINARY", gym.c_str(), 1);
  return r;
}

TEST(CustomHandlerExample, ItsPartIsListedValidatedAndTested) {
  CommandResult list = RunExample({"validate", "--list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("  flag_large: adds grande = 1"));
  EXPECT_THAT(list.out, HasSubstr("  risk: "));  // and gym's own parts

  CommandResult valid = RunExample({"validate", kPipeline});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  CommandResult tests = RunExample({"test", kPipeline});
  EXPECT_EQ(tests.exit_code, 0) << tests.out << tests.err;
  EXPECT_THAT(tests.out, HasSubstr("PASS a transaction of 3000 or more is large"));

  // The gym binary does not know it: the same file is invalid there, naming the part.
  CommandResult gym = RunGym({"validate", kPipeline});
  EXPECT_EQ(gym.exit_code, 1);
  EXPECT_THAT(gym.err, HasSubstr("unknown handler type 'flag_large'"));
}

TEST(CustomHandlerExample, RunsTheFileOnDroppedFiles) {
  TempDir dir;
  std::ofstream(dir.File("new.txt")) << "id,cliente_id,data,valor,moeda\n"
                                        "1,7,2024-06-05,100.0,BRL\n"
                                        "2,7,2024-06-05,4500.0,USD\n";
  CommandResult run = RunExample({"run", "--once", "--data", dir.path(), "--config", kPipeline,
                                  "--out-db", dir.File("out.db")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  absl::StatusOr<Frame> rows =
      ReadSqliteQuery(dir.File("out.db"), "SELECT id, grande FROM flagged ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->num_rows(), 2u);
  EXPECT_EQ(rows->column("grande").Int64At(0), 0);
  EXPECT_EQ(rows->column("grande").Int64At(1), 1);
}

}  // namespace
}  // namespace gym
