#include "gym/pipeline/part_registry.h"

#include <algorithm>
#include <set>
#include <utility>

#include "fmt/format.h"

namespace gym {

std::string_view PartKindName(PartKind kind) {
  switch (kind) {
    case PartKind::kSource:
      return "source";
    case PartKind::kHandler:
      return "handler";
    case PartKind::kSink:
      return "sink";
    case PartKind::kTrigger:
      break;
  }
  return "trigger";
}

std::string_view PartKindSection(PartKind kind) {
  switch (kind) {
    case PartKind::kSource:
      return "sources";
    case PartKind::kHandler:
      return "nodes";
    case PartKind::kSink:
      return "sinks";
    case PartKind::kTrigger:
      break;
  }
  return "triggers";
}

PartOptions DefaultOptions(const PartInfo& info) {
  PartOptions options;
  for (const OptionSpec& o : info.options) {
    if (o.default_value) options.Set(o.name, *o.default_value);
  }
  return options;
}

bool IsReservedKey(std::string_view key) {
  return key == "type" || key == "inputs" || key == "chunks" || key == "concurrency";
}

absl::Status PartRegistry::Add(PartInfo info) {
  if (info.type.empty()) return absl::InvalidArgumentError("a part needs a type name");
  if (parts_.contains(info.type)) {
    return absl::InvalidArgumentError(fmt::format("part type '{}' is already registered", info.type));
  }
  std::set<std::string> seen;
  for (const OptionSpec& o : info.options) {
    if (IsReservedKey(o.name) || !seen.insert(o.name).second) {
      return absl::InvalidArgumentError(fmt::format(
          "part '{}': option '{}' is {}", info.type, o.name,
          IsReservedKey(o.name) ? "a reserved key of pipeline files" : "declared twice"));
    }
  }
  if (!info.make && info.kind != PartKind::kTrigger) {
    return absl::InvalidArgumentError(fmt::format("part '{}' has no factory", info.type));
  }
  std::string type = info.type;
  parts_.emplace(std::move(type), std::move(info));
  return absl::OkStatus();
}

const PartInfo* PartRegistry::Find(std::string_view type) const {
  auto it = parts_.find(type);
  return it == parts_.end() ? nullptr : &it->second;
}

std::vector<std::string> PartRegistry::Types(PartKind kind) const {
  std::vector<std::string> types;
  for (const auto& [type, info] : parts_) {
    if (info.kind == kind) types.push_back(type);
  }
  return types;
}

namespace {

std::string DescribeContract(const PartInfo& info) {
  if (!info.contract) return "";
  // The contract under the default options: what a reader of the listing can rely on.
  for (const OptionSpec& o : info.options) {
    if (!o.default_value) return "    columns: depend on its options\n";
  }
  const ColumnContract c = info.contract(DefaultOptions(info));
  std::string out;
  auto list = [](const auto& items, auto show) {
    std::string s;
    for (const auto& item : items) s += (s.empty() ? "" : ", ") + show(item);
    return s;
  };
  if (!c.reads.empty()) {
    out += "    reads: " + list(c.reads, [](const ColumnRead& r) {
             return r.name + " (" + (r.type ? std::string(DataTypeName(*r.type)) : "any") +
                    (r.when_present ? ", when present" : "") + ")";
           }) + "\n";
  }
  if (!c.adds.empty()) {
    out += std::string(c.replaces ? "    outputs only: " : "    adds: ") +
           list(c.adds, [](const Field& f) {
             return f.name + " (" + std::string(DataTypeName(f.type)) + ")";
           }) +
           "\n";
  }
  if (c.keeps_only) {
    out += "    keeps only: " + list(*c.keeps_only, [](const std::string& s) { return s; }) + "\n";
  }
  if (!c.drops.empty()) {
    out += "    drops: " + list(c.drops, [](const std::string& s) { return s; }) + "\n";
  }
  return out;
}

}  // namespace

std::string PartRegistry::Describe() const {
  std::string out;
  for (PartKind kind :
       {PartKind::kSource, PartKind::kHandler, PartKind::kSink, PartKind::kTrigger}) {
    out += fmt::format("[{}]\n", PartKindSection(kind));
    for (const std::string& type : Types(kind)) {
      const PartInfo& info = parts_.find(type)->second;
      out += fmt::format("  {}: {}\n", type, info.help);
      for (const OptionSpec& o : info.options) {
        out += fmt::format("    {} ({}{}): {}\n", o.name, OptionTypeName(o.type),
                           o.default_value ? ", default " + FormatOptionValue(*o.default_value)
                                           : ", required",
                           o.help);
      }
      out += DescribeContract(info);
    }
  }
  return out;
}

}  // namespace gym
