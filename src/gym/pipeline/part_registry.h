// PartRegistry: every source, handler, sink and trigger a pipeline file may name, by type.
//
// A part is registered once with its type name, its options (typed, with defaults and help),
// its column contract and a factory. gym registers its own parts in one function
// (RegisterBuiltinParts, gym/datagen/builtin_parts.h), one line each; a user program adds
// its own through the same call and then runs gym's commands with them:
//
//   PartRegistry registry;
//   RegisterBuiltinParts(registry);
//   registry.Add({.type = "currency_to_brl", .kind = PartKind::kHandler,
//                 .help = "adds valor_brl ...",
//                 .options = {{.name = "rates", .type = OptionType::kNumberMap, ...}},
//                 .contract = [](const PartOptions&) { return ColumnContract{...}; },
//                 .make = [](const PartOptions& o, const PartContext&) { ... }});
//
// Factories receive the checked options and a PartContext: what the running command shares
// with its parts (a database writer, a risk model, where rejected rows go).
#ifndef GYM_PIPELINE_PART_REGISTRY_H_
#define GYM_PIPELINE_PART_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/pipeline/column_contract.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_options.h"
#include "gym/pipeline/row_error.h"

namespace gym {

// Where a part may stand, and the section of a pipeline file that declares it.
enum class PartKind {
  kSource,   // [sources.NAME]: an entry point; triggers and callers submit to it
  kHandler,  // [nodes.NAME]: Frame -> Frame, with inputs
  kSink,     // [sinks.NAME]: stores what it receives; nothing may depend on it
  kTrigger,  // [triggers.NAME]: decides when sources are fed (files dropped, a timer)
};

// "source", "handler", "sink", "trigger"; and the file sections "sources", "nodes", ...
std::string_view PartKindName(PartKind kind);
std::string_view PartKindSection(PartKind kind);

// What a running command shares with the parts it builds, by type:
//
//   context.Provide(writer);                          // a std::shared_ptr<GroupCommitWriter>
//   GroupCommitWriter* w = context.Get<GroupCommitWriter>();  // nullptr when not provided
class PartContext final {
 public:
  template <typename T>
  void Provide(std::shared_ptr<T> service) {
    services_[std::type_index(typeid(T))] = std::move(service);
  }
  template <typename T>
  T* Get() const {
    auto it = services_.find(std::type_index(typeid(T)));
    return it == services_.end() ? nullptr : static_cast<T*>(it->second.get());
  }

  // Where handlers report the rows they remove (empty: a spdlog warning each).
  RowErrorReporter rejected;
  // False while a pipeline is only drawn or checked: factories must not open files or
  // databases, train models or start threads then.
  bool will_run = true;
  // Names this run of the command in what its parts write (the rows of a metric's results
  // table carry it); empty: the parts make one up.
  std::string run_id;

 private:
  std::map<std::type_index, std::shared_ptr<void>> services_;
};

using MadeHandler = absl::StatusOr<std::unique_ptr<Handler>>;
using PartFactory = std::function<MadeHandler(const std::string& node, const PartOptions& options,
                                              const PartContext& context)>;

struct PartInfo {
  std::string type;
  PartKind kind = PartKind::kHandler;
  std::string help;
  std::vector<OptionSpec> options;
  // The columns it reads, adds and drops, given its options. Empty function: reads nothing,
  // changes nothing.
  std::function<ColumnContract(const PartOptions&)> contract;
  // Problems with option values that their types cannot catch (a column type that is not
  // int64, double or string), each naming the option: reported by `gym validate`.
  std::function<std::vector<std::string>(const PartOptions&)> check;
  // Builds the part's handler. Triggers have none: the command that runs the pipeline
  // drives them.
  PartFactory make;
};

class PartRegistry final {
 public:
  // INVALID_ARGUMENT when the type is empty or already registered, or an option is declared
  // twice or is a reserved key of pipeline files (type, inputs, chunks, concurrency).
  absl::Status Add(PartInfo info);
  // nullptr when no part of that type is registered.
  const PartInfo* Find(std::string_view type) const;
  // The registered types of `kind`, sorted.
  std::vector<std::string> Types(PartKind kind) const;
  // A text listing of every part, its options and contract (`gym validate --list`).
  std::string Describe() const;

 private:
  std::map<std::string, PartInfo, std::less<>> parts_;
};

// The keys of a part's table in a pipeline file that are not options.
bool IsReservedKey(std::string_view key);

// The options of `info` that have a default, set to it (what a part is without a file).
PartOptions DefaultOptions(const PartInfo& info);

}  // namespace gym

#endif  // GYM_PIPELINE_PART_REGISTRY_H_
