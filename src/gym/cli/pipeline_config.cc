#include "gym/cli/pipeline_config.h"

#include <cstdio>
#include <string>

#include "fmt/format.h"
#include "gym/pipeline/builtin_pipelines.h"

extern char** environ;

namespace gym {

void AddPipelineConfigFlags(CLI::App* sub, PipelineConfigFlags& flags, std::string_view builtin) {
  sub->add_option("--config", flags.config,
                  fmt::format("pipeline file to run (default: the built-in pipelines/{}.toml; "
                              "check a file with `gym validate FILE`)",
                              builtin))
      ->check(CLI::ExistingFile);
  sub->add_option("--set", flags.sets,
                  "override an option of the pipeline file: node.option=value (TOML syntax; a "
                  "bare word is a string); repeatable; also GYM_SET__<node>__<option>=<value>")
      ->take_all();
}

std::optional<PipelineSpec> LoadPipelineConfig(const PipelineConfigFlags& flags,
                                               std::string_view builtin,
                                               const PartRegistry& registry,
                                               std::string_view command,
                                               const std::function<void(PipelineSpec&)>&
                                                   command_overrides) {
  PipelineLoad load;
  if (flags.config.empty()) {
    load = LoadBuiltinPipeline(builtin, registry);
  } else {
    load = LoadPipelineFile(flags.config, registry);
  }
  std::vector<std::string> errors;
  if (!load.ok()) {
    errors = AllErrors(load, registry);
  } else {
    PipelineSpec& spec = *load.spec;
    auto add = [&errors](std::vector<std::string> more) {
      for (std::string& e : more) errors.push_back(std::move(e));
    };
    if (command_overrides) command_overrides(spec);
    add(ApplyEnvironmentOverrides(spec, registry, environ));
    for (const std::string& o : flags.sets) add(ApplyOverride(spec, registry, o, "--set"));
    if (errors.empty()) add(CheckPipeline(spec, registry));
  }
  if (errors.empty()) return std::move(*load.spec);
  for (const std::string& e : errors) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(command.size()), command.data(),
                 e.c_str());
  }
  return std::nullopt;
}

}  // namespace gym
