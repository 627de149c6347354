// `gym test FILE...`: runs the test cases of pipeline files ([[tests]] in the file or in
// FILE.tests.toml beside it; see gym/pipeline/test_cases.h).
//
//   gym test pipelines/run.toml          PASS/FAIL per case, a diff for each failure
//
// Exit 0 when every case passed, 1 when one failed, a file is not valid, or has no cases.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gym/cli/commands.h"
#include "gym/handlers/risk_handler.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/pipeline/test_cases.h"
#include "gym/jobs/model_loader.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {
namespace {

struct TestFlags {
  std::vector<std::string> files;
  std::string model;
  std::string filter;
};

// What the parts under test may need: a database (in memory) and a risk model.
absl::StatusOr<PartContext> TestContext(const TestFlags& flags) {
  PartContext context;
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer = GroupCommitWriter::Open(":memory:");
  if (!writer.ok()) return writer.status();
  context.Provide(std::shared_ptr<GroupCommitWriter>(*std::move(writer)));
  context.Provide(std::make_shared<RiskModelSource>(
      [model = flags.model] { return LoadOrTrainRiskModel(model, /*train_rows=*/10000); }));
  return context;
}

// Runs the cases of one file; returns the number that failed (the file's errors count as one).
int TestFile(const std::string& file, const TestFlags& flags, const PartRegistry& parts,
             const PartContext& context, int* passed) {
  PipelineLoad load = LoadPipelineFile(file, parts);
  const std::vector<std::string> errors = AllErrors(load, parts);
  if (!errors.empty()) {
    for (const std::string& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
    std::fprintf(stderr, "%s: not valid, no case was run\n", file.c_str());
    return 1;
  }
  const PipelineSpec& spec = *load.spec;
  if (spec.tests.empty()) {
    std::fprintf(stderr, "%s: no test cases (add [[tests]] to it or to a .tests.toml file beside it)\n",
                 file.c_str());
    return 1;
  }
  int failed = 0;
  std::printf("%s (%s)\n", file.c_str(), spec.tests_file.c_str());
  for (const TestCaseSpec& test : spec.tests) {
    if (!flags.filter.empty() && test.name.find(flags.filter) == std::string::npos) continue;
    TestCaseResult result = RunTestCase(spec, test, parts, context);
    std::printf("  %s", FormatTestCaseResult(result).c_str());
    if (result.passed) {
      ++*passed;
    } else {
      ++failed;
    }
  }
  return failed;
}

int TestMain(const TestFlags& flags, const PartRegistry& parts) {
  absl::StatusOr<PartContext> context = TestContext(flags);
  if (!context.ok()) {
    std::fprintf(stderr, "gym test: %s\n", std::string(context.status().message()).c_str());
    return 1;
  }
  int failed = 0;
  int passed = 0;
  for (const std::string& file : flags.files) failed += TestFile(file, flags, parts, *context, &passed);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void RegisterTestCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<TestFlags>();
  CLI::App* sub = app.add_subcommand(
      "test",
      "Run the test cases of pipeline files: each case feeds rows to one part and compares "
      "what comes out; exits 1 on any failure");
  sub->add_option("files", flags->files, "pipeline files (cases in [[tests]] or FILE.tests.toml)")
      ->required();
  sub->add_option("--model", flags->model,
                  "risk model JSON for risk parts (default: ./risk_model.json when present, "
                  "else one trained in memory from generated data)");
  sub->add_option("--filter", flags->filter, "run only the cases whose name contains this");
  registry.Add(sub, [flags, &registry] { return TestMain(*flags, registry.parts()); });
}

}  // namespace gym
