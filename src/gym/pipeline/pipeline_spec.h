// PipelineSpec: a pipeline file, read and checked against a PartRegistry.
//
// A pipeline file is TOML. Each part is a table under the section of its kind; the keys
// `type`, `inputs`, `chunks` and `concurrency` place it in the graph, every other key is one
// of its type's options:
//
//   [pipeline]
//   name = "run"
//   max_in_flight = 64
//
//   [sources.new_txt]
//   type = "file"
//   match = ["*.txt"]
//
//   [nodes.risk]
//   type = "risk"
//   inputs = ["new_txt"]
//   chunks = 2
//
//   [sinks.save_db]
//   type = "sqlite"
//   inputs = ["risk"]
//   table = "transactions"
//
//   [triggers.files]
//   type = "files"
//   feeds = ["new_txt"]
//
// Test cases (`[[tests]]`) may sit in the same file or in one beside it (run.toml ->
// run.tests.toml); see test_cases.h.
//
// Every error is one line, `file:line: message`, and reading goes on after an error so that
// `gym validate` reports all of them at once.
#ifndef GYM_PIPELINE_PIPELINE_SPEC_H_
#define GYM_PIPELINE_PIPELINE_SPEC_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gym/frame/value.h"
#include "gym/pipeline/part_options.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

struct PartSpec {
  std::string name;
  std::string type;
  PartKind kind = PartKind::kHandler;
  int line = 0;  // of its table
  std::vector<std::string> inputs;
  size_t chunks = 1;
  size_t concurrency = 0;  // 0: no limit
  PartOptions options;     // every declared option: the file's value or the default
  std::map<std::string, int, std::less<>> option_lines;  // where the file set each option
  // Options set from outside the file, and by what ("--set risk.chunks=3"): errors about
  // their values name that instead of a line of the file.
  std::map<std::string, std::string, std::less<>> option_origins;
};

// One `[[tests]]` case: feed `messages` to `node` alone, one after the other, and compare
// what comes out of the last. `input = [rows]` is one message; `messages = [[rows], [rows]]`
// several (for a part that accumulates over messages, such as a join of clients and
// transactions arriving apart).
struct TestCaseSpec {
  std::string name;
  std::string node;
  int line = 0;
  std::vector<std::vector<Record>> messages;
  // Expected output rows, in order; only the columns each expected row names are compared.
  std::optional<std::vector<Record>> expect;
  std::optional<int64_t> expect_rows;
  std::optional<int64_t> expect_rejected;
  std::vector<std::string> expect_columns;     // must be present
  std::vector<std::string> expect_no_columns;  // must be absent
  std::optional<std::string> expect_error;     // the node must fail, with this in its message
  // Options of the node changed for this case only (`options = { as_of = "2024-06-30" }`),
  // each value kept as TOML text until the registry types it.
  std::map<std::string, std::string> options;
};

struct PipelineSpec {
  std::string file;  // as errors name it
  std::string name;
  size_t max_in_flight = 64;
  std::vector<PartSpec> parts;  // in the order of the file
  std::vector<TestCaseSpec> tests;
  std::string tests_file;  // where the test cases were read from

  const PartSpec* Find(std::string_view name) const;
  PartSpec* Find(std::string_view name);
  // The parts of `kind`, in file order.
  std::vector<const PartSpec*> OfKind(PartKind kind) const;
};

// The spec and every error found, each as "file:line: message". With errors, `spec` holds
// what could be read (for CheckPipeline to report the graph's errors too), or nothing when
// the TOML itself does not parse.
struct PipelineLoad {
  std::optional<PipelineSpec> spec;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

// Reads `text` (the contents of `file_name`) and checks it: syntax, sections, unknown part
// types and options, option types, reserved keys, names used twice. The graph is checked by
// CheckPipeline.
PipelineLoad ParsePipeline(std::string_view text, const std::string& file_name,
                           const PartRegistry& registry);

// Reads `[[tests]]` from `text` into `spec.tests`; errors name `file_name`.
std::vector<std::string> ParseTestCases(std::string_view text, const std::string& file_name,
                                        PipelineSpec& spec);

// Reads the file at `path` and its tests file when one exists beside it.
PipelineLoad LoadPipelineFile(const std::string& path, const PartRegistry& registry);

// Sets one option from outside the file: `assignment` is "node.option=value", value in TOML
// syntax or, when it is not valid TOML, taken as a string. `origin` says where it came from in
// errors ("--set", "GYM_SET__save_csv__folder").
std::vector<std::string> ApplyOverride(PipelineSpec& spec, const PartRegistry& registry,
                                       std::string_view assignment, std::string_view origin);

// Overrides from the environment: every variable GYM_SET__<node>__<option>=<value>.
std::vector<std::string> ApplyEnvironmentOverrides(PipelineSpec& spec,
                                                   const PartRegistry& registry,
                                                   char** environ);

// The graph and its columns: inputs that name no part (or a sink, or a trigger), sources
// with inputs, handlers and sinks without, sinks that something depends on, cycles (named
// along the cycle), triggers that feed no source, and the column contract of every part
// against what arrives along each of its inputs.
std::vector<std::string> CheckPipeline(const PipelineSpec& spec, const PartRegistry& registry);

// Every error of a loaded file: those of reading it, then CheckPipeline's.
std::vector<std::string> AllErrors(const PipelineLoad& load, const PartRegistry& registry);

}  // namespace gym

#endif  // GYM_PIPELINE_PIPELINE_SPEC_H_
