// The pipeline file a command runs: --config FILE, or the built-in one of its name (the
// pipelines/ files embedded in gym), then overrides: the command's own flags (--out-csv, ...),
// GYM_SET__<node>__<option> variables, and --set node.option=value, in that order.
#ifndef GYM_CLI_PIPELINE_CONFIG_H_
#define GYM_CLI_PIPELINE_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {

struct PipelineConfigFlags {
  std::string config;             // empty: the built-in pipeline
  std::vector<std::string> sets;  // node.option=value
};

// Adds --config and --set to `sub`, whose built-in pipeline is pipelines/<builtin>.toml.
void AddPipelineConfigFlags(CLI::App* sub, PipelineConfigFlags& flags, std::string_view builtin);

// Reads and checks the pipeline; `command_overrides` sets what the command's own flags say
// (typed, before the environment and --set). On failure prints every error to stderr, each
// line prefixed by `command` ("gym run"), and returns nullopt.
std::optional<PipelineSpec> LoadPipelineConfig(
    const PipelineConfigFlags& flags, std::string_view builtin, const PartRegistry& registry,
    std::string_view command, const std::function<void(PipelineSpec&)>& command_overrides = {});

}  // namespace gym

#endif  // GYM_CLI_PIPELINE_CONFIG_H_
