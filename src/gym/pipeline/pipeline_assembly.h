// Turning a checked PipelineSpec into a running Pipeline: each part is made by its
// registered factory with its options, and wired to its inputs.
//
//   PipelineLoad load = LoadPipelineFile("pipelines/run.toml", registry);
//   ... CheckPipeline(*load.spec, registry) ...
//   PartContext context;
//   context.Provide(writer);
//   absl::StatusOr<AssembledPipeline> p = AssemblePipeline(*load.spec, registry, context);
//   (*p).pipeline->Submit("new_txt", FileRequest("data/new.txt"));
#ifndef GYM_PIPELINE_PIPELINE_ASSEMBLY_H_
#define GYM_PIPELINE_PIPELINE_ASSEMBLY_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {

struct AssembledPipeline {
  std::unique_ptr<Pipeline> pipeline;
  // Every part's handler (owned by the pipeline), in file order.
  std::vector<std::pair<std::string, Handler*>> handlers;

  // The handler of part `name` as a T, or nullptr.
  template <typename T>
  T* Find(std::string_view name) const {
    for (const auto& [n, h] : handlers) {
      if (n == name) return dynamic_cast<T*>(h);
    }
    return nullptr;
  }
  // Every handler that is a T, in file order.
  template <typename T>
  std::vector<std::pair<std::string, T*>> All() const {
    std::vector<std::pair<std::string, T*>> out;
    for (const auto& [n, h] : handlers) {
      if (auto* t = dynamic_cast<T*>(h)) out.emplace_back(n, t);
    }
    return out;
  }
};

// Makes the handler of one part; errors name the file, the line and the part.
absl::StatusOr<std::unique_ptr<Handler>> MakePart(const PipelineSpec& spec, const PartSpec& part,
                                                  const PartRegistry& registry,
                                                  const PartContext& context);

// Makes every part but the triggers, opens each (Handler::Open) when `context.will_run`, and
// builds the DAG. `options.max_in_flight` of 0 takes the file's [pipeline] max_in_flight.
absl::StatusOr<AssembledPipeline> AssemblePipeline(const PipelineSpec& spec,
                                                   const PartRegistry& registry,
                                                   const PartContext& context,
                                                   PipelineOptions options = {.max_in_flight = 0});

}  // namespace gym

#endif  // GYM_PIPELINE_PIPELINE_ASSEMBLY_H_
