// `gym train`: fits the risk model (a CART tree) on labeled transactions, reports accuracy,
// precision and recall on the held-out rows and writes the JSON model file.
//
//   gym train --data labeled.csv --model risk_model.json --seed 42
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "fmt/format.h"
#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/handlers/risk_model.h"
#include "gym/sources/csv_source.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

struct TrainFlags {
  std::string data;
  std::string model = "risk_model.json";
  TrainOptions options;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "gym train: %s\n", message.c_str());
  return 1;
}

int RunTrain(const TrainFlags& flags) {
  spdlog::info("reading {}", flags.data);
  absl::StatusOr<Frame> labeled = ReadCsvFile(flags.data);
  if (!labeled.ok()) return Fail(std::string(labeled.status().message()));
  spdlog::info("training on {} rows (seed {}, max depth {})", labeled->num_rows(),
               flags.options.seed, flags.options.max_depth);
  auto trained = RiskModel::Train(*labeled, flags.options);
  if (!trained.ok()) return Fail(flags.data + ": " + std::string(trained.status().message()));
  const auto& [model, report] = *trained;
  if (absl::Status saved = model.Save(flags.model); !saved.ok()) {
    return Fail(std::string(saved.message()));
  }
  std::fputs(fmt::format("rows       {} (train {}, held out {})\n"
                         "accuracy   {:.4f}\n"
                         "precision  {:.4f}\n"
                         "recall     {:.4f}\n"
                         "model      {} ({} nodes, currencies {})\n",
                         report.train_rows + report.test_rows, report.train_rows, report.test_rows,
                         report.accuracy, report.precision, report.recall, flags.model,
                         model.nodes().size(), fmt::join(model.currencies(), ","))
                 .c_str(),
             stdout);
  return 0;
}

}  // namespace

void RegisterTrainCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* sub =
      app.add_subcommand("train", "Train the risk model (decision tree) on labeled transactions");
  sub->add_option("--data", flags->data,
                  "labeled transactions CSV with columns data, valor, moeda, suspeita")
      ->required();
  sub->add_option("--model", flags->model, "where to write the model (JSON)")
      ->capture_default_str();
  sub->add_option("--seed", flags->options.seed, "seed of the 80/20 train/test split")
      ->capture_default_str()
      ->transform(flag::Seed());
  sub->add_option("--max-depth", flags->options.max_depth, "deepest the tree may grow")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, 64));
  registry.Add(sub, [flags] { return RunTrain(*flags); });
}

}  // namespace gym
