// Running the test cases of a pipeline file (`gym test`).
//
// A case names one part, gives its input rows, and says what must come out:
//
//   [[tests]]
//   name = "a weekend transaction is suspicious"
//   node = "risk"
//   input = [{ id = 1, cliente_id = 7, data = "2024-06-01", valor = 10.0, moeda = "BRL" }]
//   expect = [{ id = 1, suspeita = 1 }]      # only the columns named are compared
//   expect_rows = 1
//
// `messages = [[rows], [rows]]` feeds several messages in turn (a part that accumulates, such
// as a join of clients and transactions that arrive apart); the conditions apply to the output
// of the last. `options = { days = 7 }` changes the node's options for that case only. Other
// conditions: expect_rejected (rows the part reported as rejected), expect_columns and
// expect_no_columns (present / absent), expect_error (the part must fail, with this text in
// its message). The part runs alone, made by its factory with the file's options, outside any
// pipeline: PreMessage, Handle, PostMessage on one message.
#ifndef GYM_PIPELINE_PIPELINE_TEST_CASES_H_
#define GYM_PIPELINE_PIPELINE_TEST_CASES_H_

#include <string>
#include <vector>

#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {

struct TestCaseResult {
  std::string name;
  std::string where;  // "file:line"
  bool passed = false;
  // Why it failed, one line each, then what the part produced (a table).
  std::vector<std::string> failures;
  std::string output;
};

// Runs `test` against `spec`. `context` supplies what the parts need (a database writer, a
// risk model); its `rejected` reporter is replaced by one that counts for expect_rejected.
TestCaseResult RunTestCase(const PipelineSpec& spec, const TestCaseSpec& test,
                           const PartRegistry& registry, PartContext context);

// "PASS name" or "FAIL name (file:line)" followed by the failures and the output.
std::string FormatTestCaseResult(const TestCaseResult& result);

}  // namespace gym

#endif  // GYM_PIPELINE_PIPELINE_TEST_CASES_H_
