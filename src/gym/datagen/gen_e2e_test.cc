// `gym gen` through the real binary (GYM_BINARY): two runs with the same seed write the same
// bytes, every labeled row obeys the rule, drops land whole, and bad flags fail cleanly.
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "gym/datagen/generator.h"
#include "gym/datagen/internal/test_files.h"
#include "gym/domain/dates.h"

namespace gym {
namespace {

using testing_files::DumpSqliteTable;
using testing_files::ReadFileBytes;
using testing_files::ScratchDir;

// Runs `gym <args>` with stderr captured into `stderr_path`; returns the exit code.
int RunGym(const std::string& args, const std::string& stderr_path) {
  const char* binary = std::getenv("GYM_BINARY");
  if (binary == nullptr) return -1;
  const std::string command =
      std::string(binary) + " " + args + " >/dev/null 2>" + stderr_path + " </dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

constexpr const char* kSmall =
    "--clients 300 --transactions 2000 --new-transactions 200 --labeled 1000 --seed 4242 "
    "--today 2026-11-26";

TEST(GenE2eTest, SameSeedSameBytes) {
  ASSERT_NE(std::getenv("GYM_BINARY"), nullptr) << "GYM_BINARY is not set";
  const ScratchDir a("e2e_a");
  const ScratchDir b("e2e_b");
  ASSERT_EQ(RunGym("gen all --out " + a.path() + " " + kSmall, a / "stderr"), 0)
      << ReadFileBytes(a / "stderr");
  ASSERT_EQ(RunGym("gen all --out " + b.path() + " " + kSmall, b / "stderr"), 0)
      << ReadFileBytes(b / "stderr");
  for (const char* file : {"new_transactions.txt", "scores.csv", "labeled_transactions.csv"}) {
    SCOPED_TRACE(file);
    const std::string bytes = ReadFileBytes(a / file);
    EXPECT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes, ReadFileBytes(b / file));
  }
  for (const char* table : {"clients", "transactions"}) {
    SCOPED_TRACE(table);
    const std::string dump = DumpSqliteTable(a / "mock.db", table, "id");
    EXPECT_EQ(dump.rfind("<error", 0), std::string::npos) << dump;
    EXPECT_EQ(dump, DumpSqliteTable(b / "mock.db", table, "id"));
  }
  EXPECT_NE(ReadFileBytes(a / "stderr").find("seed 4242"), std::string::npos);
}

TEST(GenE2eTest, EveryLabeledRowObeysTheRule) {
  const ScratchDir dir("e2e_labeled");
  ASSERT_EQ(RunGym("gen all --out " + dir.path() + " " + kSmall, dir / "stderr"), 0)
      << ReadFileBytes(dir / "stderr");
  std::istringstream lines(ReadFileBytes(dir / "labeled_transactions.csv"));
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  ASSERT_EQ(line, "id,cliente_id,data,valor,moeda,suspeita");
  int rows = 0;
  int suspicious = 0;
  while (std::getline(lines, line)) {
    SCOPED_TRACE(line);
    const std::vector<std::string> cells = SplitCsvLine(line);
    ASSERT_EQ(cells.size(), 6u);
    const std::optional<Date> date = Date::Parse(cells[2]);
    ASSERT_TRUE(date.has_value());
    const double valor = std::stod(cells[3]);
    const bool weekend = date->Weekday() >= 5;
    const int want = (valor > 3000 || cells[4] != "BRL" || weekend) ? 1 : 0;
    ASSERT_EQ(cells[5], std::to_string(want));
    ASSERT_EQ(SuspiciousLabel(valor, cells[4], *date), want);
    ++rows;
    suspicious += want;
  }
  EXPECT_EQ(rows, 1000);
  EXPECT_GT(suspicious, 0);
  EXPECT_LT(suspicious, rows);
}

TEST(GenE2eTest, DropsLandWholeWithUniqueIds) {
  const ScratchDir dir("e2e_drops");
  const std::string inbox = dir / "inbox";
  ASSERT_EQ(RunGym("gen drops --dir " + inbox +
                       " --files 3 --rows 100 --delay 0-0.05 --seed 1 --today 2026-11-26",
                   dir / "stderr"),
            0)
      << ReadFileBytes(dir / "stderr");
  std::vector<std::string> ids;
  for (const char* name : {"drop_0001.txt", "drop_0002.txt", "drop_0003.txt"}) {
    std::istringstream lines(ReadFileBytes(inbox + "/" + name));
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << name;
    EXPECT_EQ(line, "id,cliente_id,data,valor,moeda");
    while (std::getline(lines, line)) ids.push_back(SplitCsvLine(line).at(0));
  }
  ASSERT_EQ(ids.size(), 300u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], std::to_string(i + 1));
}

// A second run into the same folder adds files after the first run's instead of replacing them.
TEST(GenE2eTest, DropsAgainContinueTheNumbering) {
  const ScratchDir dir("e2e_drops_again");
  const std::string inbox = dir / "inbox";
  const std::string args =
      "gen drops --dir " + inbox + " --files 2 --rows 10 --delay 0 --today 2026-11-26 --seed ";
  ASSERT_EQ(RunGym(args + "1", dir / "stderr"), 0) << ReadFileBytes(dir / "stderr");
  const std::string first = ReadFileBytes(inbox + "/drop_0001.txt");
  ASSERT_EQ(RunGym(args + "2", dir / "stderr"), 0) << ReadFileBytes(dir / "stderr");
  EXPECT_EQ(ReadFileBytes(inbox + "/drop_0001.txt"), first);
  for (const char* name : {"drop_0003.txt", "drop_0004.txt"}) {
    EXPECT_NE(ReadFileBytes(inbox + "/" + name).find("id,cliente_id"), std::string::npos) << name;
  }
}

TEST(GenE2eTest, BadFlagsFailWithAMessage) {
  const ScratchDir dir("e2e_bad");
  const struct {
    std::string args;
    const char* mentions;
  } cases[] = {
      {"gen all --out " + dir.path() + " --today 2026-02-30", "--today"},
      {"gen all --out " + dir.path() + " --clients -3", "--clients"},
      {"gen drops --dir " + dir.path() + " --delay 9-1", "--delay"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    EXPECT_EQ(RunGym(c.args, dir / "stderr"), 2);  // a usage error
    const std::string err = ReadFileBytes(dir / "stderr");
    EXPECT_NE(err.find(c.mentions), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace gym
