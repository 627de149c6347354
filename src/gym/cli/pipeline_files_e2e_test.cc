// `gym validate` and `gym test` on the shipped pipeline files and on the invalid ones kept in
// testdata/pipelines/invalid/, each of which names the errors it must produce in
// `# expect: <text>` lines.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::gym::testing::CommandResult;
using ::gym::testing::RunGym;
using ::gym::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string SourceDir() { return GYM_SOURCE_DIR; }

std::vector<std::string> ExpectedErrors(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line);) {
    constexpr std::string_view kTag = "# expect: ";
    if (line.starts_with(kTag)) expected.push_back(line.substr(kTag.size()));
  }
  return expected;
}

TEST(PipelineFilesTest, ShippedPipelinesAreValid) {
  CommandResult builtin = RunGym({"validate"});
  EXPECT_EQ(builtin.exit_code, 0) << builtin.err;
  EXPECT_THAT(builtin.out, HasSubstr("pipelines/run.toml (built in): ok: pipeline 'run'"));
  EXPECT_THAT(builtin.out, HasSubstr("pipelines/serve.toml (built in): ok: pipeline 'serve'"));
  const std::string run = SourceDir() + "/pipelines/run.toml";
  CommandResult file = RunGym({"validate", run});
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_THAT(file.out, HasSubstr(run + ": ok"));
  // Its test cases, beside it, are read and checked too.
  EXPECT_THAT(file.out, HasSubstr("tests (" + SourceDir() + "/pipelines/run.tests.toml)"));
}

TEST(PipelineFilesTest, EveryInvalidFileFailsNamingEachError) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/testdata/pipelines/invalid")) {
    const std::vector<std::string> expected = ExpectedErrors(entry.path());
    ASSERT_FALSE(expected.empty()) << entry.path() << " has no # expect: line";
    CommandResult r = RunGym({"validate", entry.path().string()});
    EXPECT_EQ(r.exit_code, 1) << entry.path();
    for (const std::string& e : expected) {
      EXPECT_THAT(r.err, HasSubstr(e)) << entry.path();
    }
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(PipelineFilesTest, ValidateReportsEveryFileAndFailsIfAnyFails) {
  const std::string good = SourceDir() + "/pipelines/run.toml";
  const std::string bad = SourceDir() + "/testdata/pipelines/invalid/cycle.toml";
  CommandResult r = RunGym({"validate", good, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr(good + ": ok"));
  EXPECT_THAT(r.err, HasSubstr("cycle.toml: 1 error(s)"));
}

TEST(PipelineFilesTest, ValidateServeAppliesWhatGymServeNeeds) {
  TempDir dir;
  const std::string file = dir.File("serve.toml");
  // A serve file whose scores source is misnamed: a valid pipeline, not a valid serve one.
  std::ifstream in(SourceDir() + "/pipelines/serve.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = text.find("[sources.scores]");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "[sources.scorez]");
  const size_t input = text.find("inputs = [\"scores\"]");
  ASSERT_NE(input, std::string::npos);
  text.replace(input, 19, "inputs = [\"scorez\"]");
  std::ofstream(file) << text;
  EXPECT_EQ(RunGym({"validate", file}).exit_code, 0);
  CommandResult serve = RunGym({"validate", "--serve", file});
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_THAT(serve.err, HasSubstr("a source named 'scores'"));
}

TEST(PipelineFilesTest, AnEmptyFileOrAFolderIsNotAPipeline) {
  TempDir dir;
  std::ofstream(dir.File("empty.toml")) << "";
  CommandResult empty = RunGym({"validate", dir.File("empty.toml")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_THAT(empty.err, HasSubstr("declares no source"));
  CommandResult folder = RunGym({"validate", dir.path()});
  EXPECT_EQ(folder.exit_code, 1);
  EXPECT_THAT(folder.err, HasSubstr(dir.path() + ": not a file"));
}

TEST(PipelineFilesTest, ListNamesEveryPartWithItsOptions) {
  CommandResult r = RunGym({"validate", "--list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  sqlite: "));
  EXPECT_THAT(r.out, HasSubstr("    table (string, required): the table"));
  EXPECT_THAT(r.out, HasSubstr("    adds: suspeita (int64)"));
}

TEST(PipelineFilesTest, ShippedTestCasesPass) {
  TempDir dir;  // a trained model must not land in the source tree
  CommandResult r = RunGym({"test", SourceDir() + "/pipelines/run.toml",
                            SourceDir() + "/pipelines/serve.toml", "--model",
                            dir.File("model.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("pipelines/serve.tests.toml"));
  EXPECT_THAT(r.out, HasSubstr(" 0 failed"));
  EXPECT_THAT(r.out, Not(HasSubstr("FAIL")));
}

TEST(PipelineFilesTest, AFailingCaseExits1WithADiff) {
  TempDir dir;
  const std::string file = dir.File("p.toml");
  std::ofstream(file) << R"([sources.in]
type = "records"
[nodes.category]
type = "category"
inputs = ["in"]

[[tests]]
name = "passes"
node = "category"
input = [{ id = 1, categoria = "Lazer" }]
expect = [{ categoria = "Lazer" }]

[[tests]]
name = "wrong on purpose"
node = "category"
input = [{ id = 1, categoria = "Moradia" }, { id = 2, categoria = "Lazer" }]
expect = [{ categoria = "Lazer" }]
expect_rejected = 1
)";
  CommandResult r = RunGym({"test", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("PASS passes"));
  EXPECT_THAT(r.out, HasSubstr("FAIL wrong on purpose (" + file + ":13)"));
  EXPECT_THAT(r.out, HasSubstr("expected 1 row(s), got 2"));
  EXPECT_THAT(r.out, HasSubstr("row 1, column 'categoria': expected \"Lazer\", got \"Moradia\""));
  EXPECT_THAT(r.out, HasSubstr("expected 1 rejected row(s), got 0"));
  EXPECT_THAT(r.out, HasSubstr("1 passed, 1 failed"));
}

// A part that fails returns a status; its message is the error a case expects (or reports).
TEST(PipelineFilesTest, AnExpectedErrorIsTheFailingPartsStatusMessage) {
  TempDir dir;
  const std::string file = dir.File("p.toml");
  std::ofstream(file) << R"([sources.in]
type = "records"
[nodes.slim]
type = "keep_columns"
inputs = ["in"]
columns = ["id", "valor"]

[[tests]]
name = "names the missing column"
node = "slim"
input = [{ id = 1 }]
expect_error = "keep_columns: input has no column 'valor'"

[[tests]]
name = "fails unexpectedly"
node = "slim"
input = [{ id = 1, moeda = "BRL" }]
expect_rows = 1
)";
  CommandResult r = RunGym({"test", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("PASS names the missing column"));
  EXPECT_THAT(r.out, HasSubstr("FAIL fails unexpectedly"));
  EXPECT_THAT(r.out, HasSubstr("the part failed: keep_columns: input has no column 'valor' (it "
                               "has: id, moeda)"));
  EXPECT_THAT(r.out, HasSubstr("1 passed, 1 failed"));
}

TEST(PipelineFilesTest, TestCasesMayLiveInAFileBeside) {
  TempDir dir;
  std::ofstream(dir.File("p.toml")) << "[sources.in]\ntype = \"records\"\n";
  std::ofstream(dir.File("p.tests.toml"))
      << "[[tests]]\nname = \"ids\"\nnode = \"in\"\ninput = [{ x = 1 }]\n"
         "expect_columns = [\"batch_id\", \"event_id\"]\n";
  CommandResult r = RunGym({"test", dir.File("p.toml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("PASS ids"));
}

TEST(PipelineFilesTest, AFileWithoutCasesFailsTheTestCommand) {
  TempDir dir;
  std::ofstream(dir.File("p.toml")) << "[sources.in]\ntype = \"records\"\n";
  CommandResult r = RunGym({"test", dir.File("p.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no test cases"));
}

}  // namespace
}  // namespace gym
