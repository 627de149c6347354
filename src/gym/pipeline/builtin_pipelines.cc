#include "gym/pipeline/builtin_pipelines.h"

#include "fmt/format.h"

namespace gym {

std::optional<std::string_view> BuiltinPipelineText(std::string_view name) {
  for (const BuiltinPipeline& p : kBuiltinPipelines) {
    if (p.name == name) return p.text;
  }
  return std::nullopt;
}

std::string BuiltinPipelineFileName(std::string_view name) {
  return fmt::format("pipelines/{}.toml (built in)", name);
}

PipelineLoad LoadBuiltinPipeline(std::string_view name, const PartRegistry& registry) {
  std::optional<std::string_view> text = BuiltinPipelineText(name);
  if (!text) return {.errors = {fmt::format("gym has no built-in pipeline '{}'", name)}};
  return ParsePipeline(*text, BuiltinPipelineFileName(name), registry);
}

}  // namespace gym
