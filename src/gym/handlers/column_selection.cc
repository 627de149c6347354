#include "gym/handlers/column_selection.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "fmt/ranges.h"

namespace gym {
namespace {

std::vector<OptionSpec> ColumnsOption(std::string help) {
  return {{.name = "columns", .type = OptionType::kStringList, .help = std::move(help)}};
}

}  // namespace

PartInfo DropColumnsPart() {
  return {.type = "drop_columns",
          .kind = PartKind::kHandler,
          .help = "removes the named columns (absent ones are ignored)",
          .options = ColumnsOption("the columns removed"),
          .contract =
              [](const PartOptions& o) { return ColumnContract{.drops = o.Strings("columns")}; },
          .make = [](const std::string&, const PartOptions& o, const PartContext&) -> MadeHandler {
            return MakeHandler([columns = o.Strings("columns")](Frame input) -> Frame {
              std::vector<std::string> present;
              for (const std::string& c : columns) {
                if (input.HasColumn(c)) present.push_back(c);
              }
              if (present.empty()) return input;
              return input.Drop(present);
            });
          }};
}

PartInfo KeepColumnsPart() {
  return {
      .type = "keep_columns",
      .kind = PartKind::kHandler,
      .help = "keeps only the named columns, in that order",
      .options = ColumnsOption("the columns kept"),
      .contract =
          [](const PartOptions& o) {
            ColumnContract c{.keeps_only = o.Strings("columns")};
            for (const std::string& name : o.Strings("columns")) {
              c.reads.push_back({name, std::nullopt});
            }
            return c;
          },
      .make = [](const std::string&, const PartOptions& o, const PartContext&) -> MadeHandler {
        return MakeHandler([columns = o.Strings("columns")](Frame input) -> absl::StatusOr<Frame> {
          for (const std::string& c : columns) {
            if (!input.HasColumn(c)) {
              return absl::InvalidArgumentError(
                  fmt::format("keep_columns: input has no column '{}' (it has: {})", c,
                              fmt::join(input.column_names(), ", ")));
            }
          }
          return input.Select(columns);
        });
      }};
}

}  // namespace gym
