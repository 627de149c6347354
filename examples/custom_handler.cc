// custom_handler: gym's own command line, plus a handler of your own.
//
//   new_txt ──> check_tx ──> flag_large ──> save_db
//
// A program registers its parts in the same registry as gym's built-ins, then hands the
// command line to gym: every command (run, serve, validate, test, ...) can use them, in
// pipeline files of the program's users, with no change to gym itself.
//
//   custom_handler validate examples/custom_handler.toml
//   custom_handler test examples/custom_handler.toml
//   custom_handler run --once --data DIR --config examples/custom_handler.toml
//   custom_handler validate --list          # flag_large is listed with gym's parts
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gym/cli/commands.h"
#include "gym/datagen/builtin_parts.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"

namespace {

// Adds `grande` (1 when valor is at least `threshold`, else 0) to every row. A frame without a
// numeric valor fails its message with INVALID_ARGUMENT; the code reaches whoever submitted it
// (a gRPC client of `custom_handler serve`, the summary of `custom_handler run`).
class FlagLarge final : public gym::Handler {
 public:
  explicit FlagLarge(double threshold) : threshold_(threshold) {}

  absl::StatusOr<gym::Frame> Handle(gym::Frame input) override {
    if (!input.HasColumn("valor") || input.column("valor").type() == gym::DataType::kString) {
      return absl::InvalidArgumentError("flag_large: input has no numeric column 'valor'");
    }
    const gym::Column& valor = input.column("valor");
    std::vector<int64_t> grande(input.num_rows(), 0);
    for (size_t row = 0; row < input.num_rows(); ++row) {
      grande[row] = valor.IsValid(row) && valor.NumberAt(row) >= threshold_ ? 1 : 0;
    }
    input.AddColumn("grande", gym::Column::Ints(std::move(grande)));
    return input;
  }

 private:
  const double threshold_;
};

// What a pipeline file may say about it: its options, its columns, how to make it.
gym::PartInfo FlagLargePart() {
  return {.type = "flag_large",
          .kind = gym::PartKind::kHandler,
          .help = "adds grande = 1 to transactions whose valor is at least threshold",
          .options = {{.name = "threshold",
                       .type = gym::OptionType::kDouble,
                       .help = "the smallest valor that counts as large",
                       .default_value = 1000.0}},
          .contract =
              [](const gym::PartOptions&) {
                return gym::ColumnContract{.reads = {{"valor", gym::DataType::kDouble}},
                                           .adds = {{"grande", gym::DataType::kInt64}}};
              },
          .check =
              [](const gym::PartOptions& o) {
                std::vector<std::string> problems;
                if (o.Double("threshold") < 0) problems.push_back("threshold: must not be negative");
                return problems;
              },
          .make = [](const std::string&, const gym::PartOptions& o,
                     const gym::PartContext&) -> gym::MadeHandler {
            return std::make_unique<FlagLarge>(o.Double("threshold"));
          }};
}

}  // namespace

int main(int argc, char** argv) {
  gym::PartRegistry parts = gym::BuiltinParts();
  // The one line that adds a part; a name already taken is refused.
  if (absl::Status s = parts.Add(FlagLargePart()); !s.ok()) return 1;
  return gym::GymMain(argc, argv, parts);
}
