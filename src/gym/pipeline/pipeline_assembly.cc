#include "gym/pipeline/pipeline_assembly.h"

#include <exception>

#include "fmt/format.h"

namespace gym {

absl::StatusOr<std::unique_ptr<Handler>> MakePart(const PipelineSpec& spec, const PartSpec& part,
                                                  const PartRegistry& registry,
                                                  const PartContext& context) {
  auto fail = [&](std::string_view why) {
    return absl::InvalidArgumentError(fmt::format("{}:{}: {} '{}' ({}): {}", spec.file, part.line,
                                                  PartKindName(part.kind), part.name, part.type,
                                                  why));
  };
  const PartInfo* info = registry.Find(part.type);
  if (info == nullptr || !info->make) return fail("no such part type can be made");
  try {
    absl::StatusOr<std::unique_ptr<Handler>> made = info->make(part.name, part.options, context);
    if (!made.ok()) {
      return absl::Status(made.status().code(),
                          fmt::format("{}:{}: {} '{}' ({}): {}", spec.file, part.line,
                                      PartKindName(part.kind), part.name, part.type,
                                      std::string(made.status().message())));
    }
    return made;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

absl::StatusOr<AssembledPipeline> AssemblePipeline(const PipelineSpec& spec,
                                                   const PartRegistry& registry,
                                                   const PartContext& context,
                                                   PipelineOptions options) {
  if (options.max_in_flight == 0) options.max_in_flight = spec.max_in_flight;
  AssembledPipeline out;
  PipelineBuilder builder;
  for (const PartSpec& part : spec.parts) {
    if (part.kind == PartKind::kTrigger) continue;
    absl::StatusOr<std::unique_ptr<Handler>> handler = MakePart(spec, part, registry, context);
    if (!handler.ok()) return handler.status();
    Handler* raw = builder.Add(part.name, *std::move(handler),
                               {.depends_on = part.inputs,
                                .chunks = part.chunks,
                                .concurrency = part.concurrency,
                                .sink = part.kind == PartKind::kSink});
    out.handlers.emplace_back(part.name, raw);
  }
  if (context.will_run) {
    for (const auto& [name, handler] : out.handlers) {
      if (absl::Status s = handler->Open(); !s.ok()) {
        const PartSpec& part = *spec.Find(name);
        return absl::Status(s.code(), fmt::format("{}:{}: {} '{}' ({}): {}", spec.file,
                                                  part.line, PartKindName(part.kind), part.name,
                                                  part.type, std::string(s.message())));
      }
    }
  }
  absl::StatusOr<std::unique_ptr<Pipeline>> built = std::move(builder).Build(options);
  if (!built.ok()) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", spec.file, std::string(built.status().message())));
  }
  out.pipeline = *std::move(built);
  return out;
}

}  // namespace gym
