// CheckPipeline (see pipeline_spec.h): the graph of a pipeline file and the columns along it.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "fmt/format.h"
#include "gym/pipeline/internal/file_errors.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {
namespace {

// What is known about the columns of the frames leaving a part, along one path of the graph.
struct Columns {
  struct Present {
    std::optional<DataType> type;  // nullopt: unknown
    std::string from;              // the part that gave it this type
  };
  std::map<std::string, Present> present;
  std::map<std::string, std::string> absent;  // column -> the part that dropped it
  bool open = true;                           // other columns may come too
  std::string closed_by;                      // when !open: whose output this is exactly
};

// A part with several inputs runs once per message from each, so what leaves it is one of
// several possibilities; past this many per part they are merged into one open, typeless one
// (a pipeline that large is checked less precisely rather than slowly).
constexpr size_t kMaxPaths = 64;

class Checker {
 public:
  Checker(const PipelineSpec& spec, const PartRegistry& registry)
      : spec_(spec), registry_(registry) {}

  std::vector<std::string> Run() {
    if (spec_.OfKind(PartKind::kSource).empty()) {
      Error(1, "the pipeline declares no source ([sources.NAME]): nothing could enter it");
    }
    CheckOptions();
    CheckInputs();
    CheckTriggers();
    if (!CheckCycles()) return Take();  // columns cannot be followed around a cycle
    for (const PartSpec& part : spec_.parts) {
      if (part.kind != PartKind::kTrigger) Follow(part);
    }
    return Take();
  }

 private:
  template <typename... Args>
  void Error(int line, fmt::format_string<Args...> format, Args&&... args) {
    errors_.Add(line, format, std::forward<Args>(args)...);
  }
  // In the order of the file's lines, as a reader fixes them.
  std::vector<std::string> Take() { return errors_.Take(); }

  static int LineOf(const PartSpec& part, std::string_view key) {
    auto it = part.option_lines.find(key);
    return it == part.option_lines.end() ? part.line : it->second;
  }

  // Each part's own check of its option values; the error points at the option's line when
  // the message starts with the option's name.
  void CheckOptions() {
    for (const PartSpec& part : spec_.parts) {
      const PartInfo* info = registry_.Find(part.type);
      if (info == nullptr || !info->check) continue;
      for (const std::string& problem : info->check(part.options)) {
        const std::string option = problem.substr(0, problem.find(':'));
        if (auto origin = part.option_origins.find(option); origin != part.option_origins.end()) {
          // Set from outside the file: name the assignment, not the file's line.
          errors_.AddText(0, fmt::format("{}: {}.{}: {}", origin->second,
                                         PartKindSection(part.kind), part.name, problem));
          continue;
        }
        Error(LineOf(part, option), "{}.{}: {}", PartKindSection(part.kind), part.name, problem);
      }
    }
  }

  void CheckInputs() {
    for (const PartSpec& part : spec_.parts) {
      const bool takes_inputs = part.kind == PartKind::kHandler || part.kind == PartKind::kSink;
      if (!takes_inputs) continue;
      const int line = LineOf(part, "inputs");
      if (part.inputs.empty()) {
        Error(line, "{} '{}' needs inputs (inputs = [\"...\"])", PartKindName(part.kind),
              part.name);
      }
      std::set<std::string> once;
      for (const std::string& input : part.inputs) {
        if (!once.insert(input).second) {
          Error(line, "'{}' lists input '{}' twice", part.name, input);
          continue;
        }
        const PartSpec* from = spec_.Find(input);
        if (from == nullptr) {
          Error(line, "'{}' reads from '{}', which is not declared", part.name, input);
        } else if (from == &part) {
          Error(line, "'{}' lists itself as an input", part.name);
        } else if (from->kind == PartKind::kSink || from->kind == PartKind::kTrigger) {
          Error(line, "'{}' reads from '{}', a {}: it has no output", part.name, input,
                PartKindName(from->kind));
        }
      }
    }
  }

  void CheckTriggers() {
    for (const PartSpec* trigger : spec_.OfKind(PartKind::kTrigger)) {
      if (!trigger->options.Has("feeds")) continue;
      for (const std::string& fed : trigger->options.Strings("feeds")) {
        const PartSpec* to = spec_.Find(fed);
        if (to == nullptr || to->kind != PartKind::kSource) {
          Error(LineOf(*trigger, "feeds"), "trigger '{}' feeds '{}', which is not a source",
                trigger->name, fed);
        }
      }
    }
  }

  // False when the graph has a cycle (each is reported, named along the cycle).
  bool CheckCycles() {
    enum class Mark { kNone, kOnPath, kDone };
    std::map<std::string, Mark> marks;
    std::vector<std::string> path;
    bool acyclic = true;
    std::function<void(const PartSpec&)> visit = [&](const PartSpec& part) {
      marks[part.name] = Mark::kOnPath;
      path.push_back(part.name);
      for (const std::string& input : part.inputs) {
        const PartSpec* from = spec_.Find(input);
        // A sink or a trigger read from is an error of its own; it makes no cycle.
        if (from == nullptr || from == &part || from->kind == PartKind::kSink ||
            from->kind == PartKind::kTrigger) {
          continue;
        }
        if (marks[input] == Mark::kOnPath) {
          // "a <- c <- b <- a": each part reads from the next.
          std::string cycle;
          auto start = std::find(path.begin(), path.end(), input);
          for (auto it = start; it != path.end(); ++it) cycle += *it + " <- ";
          Error(part.line, "cycle: {}{}", cycle, input);
          acyclic = false;
        } else if (marks[input] == Mark::kNone) {
          visit(*from);
        }
      }
      path.pop_back();
      marks[part.name] = Mark::kDone;
    };
    for (const PartSpec& part : spec_.parts) {
      if (marks[part.name] == Mark::kNone) visit(part);
    }
    return acyclic;
  }

  ColumnContract ContractOf(const PartSpec& part) const {
    const PartInfo* info = registry_.Find(part.type);
    if (info == nullptr || !info->contract) return {};
    return info->contract(part.options);
  }

  // What leaves `part` (memoized), after checking its reads against each input's columns.
  const std::vector<Columns>& Follow(const PartSpec& part) {
    if (auto it = out_.find(part.name); it != out_.end()) return it->second;
    const ColumnContract contract = ContractOf(part);
    std::vector<Columns> arriving;
    if (part.kind == PartKind::kSource) arriving.emplace_back();
    for (const std::string& input : part.inputs) {
      const PartSpec* from = spec_.Find(input);
      if (from == nullptr || from == &part || from->kind == PartKind::kSink ||
          from->kind == PartKind::kTrigger) {
        continue;
      }
      for (const Columns& c : Follow(*from)) arriving.push_back(c);
    }
    std::vector<Columns> leaving;
    for (Columns& c : arriving) {
      CheckReads(part, contract, c);
      CheckStores(part, contract, c);
      leaving.push_back(Apply(part, contract, std::move(c)));
    }
    if (leaving.size() > kMaxPaths) leaving = {Columns{}};
    return out_[part.name] = std::move(leaving);
  }

  void CheckReads(const PartSpec& part, const ColumnContract& contract, const Columns& c) {
    for (const ColumnRead& read : contract.reads) {
      if (auto gone = c.absent.find(read.name); gone != c.absent.end() && !read.when_present) {
        Error(part.line, "'{}' ({}) reads column '{}', which '{}' drops before it", part.name,
              part.type, read.name, gone->second);
        continue;
      }
      auto it = c.present.find(read.name);
      if (it == c.present.end()) {
        if (!c.open && !read.when_present) {
          Error(part.line, "'{}' ({}) reads column '{}', which does not arrive: after '{}', only {}",
                part.name, part.type, read.name, c.closed_by, ColumnList(c));
        }
        continue;
      }
      if (read.type && it->second.type && *read.type != *it->second.type) {
        Error(part.line, "'{}' ({}) reads column '{}' as {}, but '{}' makes it {}", part.name,
              part.type, read.name, DataTypeName(*read.type), it->second.from,
              DataTypeName(*it->second.type));
      }
    }
  }

  // A sink's declared table against what arrives along one path.
  void CheckStores(const PartSpec& part, const ColumnContract& contract, const Columns& c) {
    if (contract.stores.empty()) return;
    const int line = LineOf(part, "schema");
    for (const Field& f : contract.stores) {
      if (auto gone = c.absent.find(f.name); gone != c.absent.end()) {
        Error(line, "'{}' stores column '{}', which '{}' drops before it", part.name, f.name,
              gone->second);
        continue;
      }
      auto it = c.present.find(f.name);
      if (it == c.present.end()) {
        if (!c.open) {
          Error(line, "'{}' stores column '{}', which does not arrive: after '{}', only {}",
                part.name, f.name, c.closed_by, ColumnList(c));
        }
        continue;
      }
      if (it->second.type && *it->second.type != f.type) {
        Error(line, "'{}' stores column '{}' as {}, but '{}' makes it {}", part.name, f.name,
              DataTypeName(f.type), it->second.from, DataTypeName(*it->second.type));
      }
    }
    for (const auto& [name, present] : c.present) {
      const bool declared = std::any_of(contract.stores.begin(), contract.stores.end(),
                                        [&n = name](const Field& f) { return f.name == n; });
      if (!declared) {
        Error(line, "column '{}' (from '{}') reaches '{}', whose schema has no such column", name,
              present.from, part.name);
      }
    }
  }

  static std::string ColumnList(const Columns& c) {
    std::string out;
    for (const auto& [name, present] : c.present) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "(no columns)" : out;
  }

  static Columns Apply(const PartSpec& part, const ColumnContract& contract, Columns c) {
    if (contract.replaces) {
      c = Columns{.open = false, .closed_by = part.name};
    } else if (contract.keeps_only) {
      Columns kept{.open = false, .closed_by = part.name};
      for (const std::string& name : *contract.keeps_only) {
        auto it = c.present.find(name);
        kept.present[name] = it != c.present.end() ? it->second : Columns::Present{};
      }
      c = std::move(kept);
    }
    for (const Field& f : contract.adds) {
      c.absent.erase(f.name);
      c.present[f.name] = {f.type, part.name};
    }
    for (const std::string& d : contract.drops) {
      c.present.erase(d);
      c.absent[d] = part.name;
    }
    return c;
  }

  const PipelineSpec& spec_;
  const PartRegistry& registry_;
  std::map<std::string, std::vector<Columns>> out_;
  internal::FileErrors errors_{spec_.file};
};

}  // namespace

std::vector<std::string> CheckPipeline(const PipelineSpec& spec, const PartRegistry& registry) {
  return Checker(spec, registry).Run();
}

std::vector<std::string> AllErrors(const PipelineLoad& load, const PartRegistry& registry) {
  std::vector<std::string> errors = load.errors;
  if (load.spec) {
    for (std::string& e : CheckPipeline(*load.spec, registry)) errors.push_back(std::move(e));
  }
  return errors;
}

}  // namespace gym
