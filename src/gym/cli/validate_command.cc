// `gym validate [FILE...]`: checks pipeline files before they run.
//
//   gym validate pipelines/run.toml my.toml   every error of each file, as file:line: message
//   gym validate                              the built-in pipelines
//   gym validate --serve my_serve.toml        ... and what gym serve needs of a file
//   gym validate --list                       every part a file may name, with its options
//
// Exit 0 when every file is valid, 1 when one is not (or cannot be read).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gym/pipeline/builtin_pipelines.h"
#include "gym/cli/commands.h"
#include "gym/cli/pipeline_config.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/server/ingest_pipelines.h"

namespace gym {
namespace {

struct ValidateFlags {
  std::vector<std::string> files;
  bool list = false;
  bool serve = false;  // also what gym serve needs of a file
};

std::string Summary(const PipelineSpec& spec) {
  auto count = [&](PartKind kind) { return spec.OfKind(kind).size(); };
  // A file with no test cases says nothing of tests (the built-in files' cases are files
  // beside them in the source tree, not embedded).
  const std::string tests =
      spec.tests.empty() ? "" : fmt::format(", {} tests ({})", spec.tests.size(), spec.tests_file);
  return fmt::format("ok: pipeline '{}', {} sources, {} handlers, {} sinks, {} triggers{}",
                     spec.name, count(PartKind::kSource), count(PartKind::kHandler),
                     count(PartKind::kSink), count(PartKind::kTrigger), tests);
}

// Prints the file's errors (or its summary); true when it is valid.
bool Validate(const std::string& file, PipelineLoad load, const PartRegistry& parts,
              bool serve) {
  std::vector<std::string> errors = AllErrors(load, parts);
  if (serve && errors.empty()) errors = CheckServePipeline(*load.spec);
  for (const std::string& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!errors.empty()) {
    std::fprintf(stderr, "%s: %zu error(s)\n", file.c_str(), errors.size());
    return false;
  }
  std::printf("%s: %s\n", file.c_str(), Summary(*load.spec).c_str());
  return true;
}

int ValidateMain(const ValidateFlags& flags, const PartRegistry& parts) {
  if (flags.list) {
    std::printf("%s", parts.Describe().c_str());
    return 0;
  }
  bool ok = true;
  if (flags.files.empty()) {
    for (const BuiltinPipeline& p : kBuiltinPipelines) {
      const std::string name = BuiltinPipelineFileName(p.name);
      ok = Validate(name, ParsePipeline(p.text, name, parts), parts,
                    flags.serve || p.name == "serve") &&
           ok;
    }
  }
  for (const std::string& file : flags.files) {
    ok = Validate(file, LoadPipelineFile(file, parts), parts, flags.serve) && ok;
  }
  return ok ? 0 : 1;
}

}  // namespace

void RegisterValidateCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<ValidateFlags>();
  CLI::App* sub = app.add_subcommand(
      "validate",
      "Check pipeline files: syntax, part types and options, inputs, cycles, and the columns "
      "each part reads along every path. Prints every error as file:line: message; exits 1 "
      "when a file is not valid");
  sub->add_option("files", flags->files,
                  "pipeline files (default: the built-in ones); test cases in FILE.tests.toml "
                  "beside a file are read and checked too");
  sub->add_flag("--serve", flags->serve,
                "also check what gym serve needs: a source per event type (clients, "
                "transactions, scores) and exactly one sqlite sink storing each type's table");
  sub->add_flag("--list", flags->list,
                "list every source, handler, sink and trigger a file may name, with its "
                "options, defaults and columns");
  registry.Add(sub, [flags, &registry] { return ValidateMain(*flags, registry.parts()); });
}

}  // namespace gym
