// Load or train the risk model at server start-up (see model_loader.h).
#include "gym/jobs/model_loader.h"

#include <filesystem>
#include <utility>
#include <vector>

#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"
#include "gym/sources/csv_source.h"
#include "gym/domain/dates.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

constexpr uint64_t kTrainingSeed = 42;

absl::StatusOr<RiskModel> TrainFromGeneratedData(size_t rows) {
  const MockGenerator generator(kTrainingSeed, Today());
  std::vector<LabeledTransaction> labeled;
  labeled.reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    const auto id = static_cast<int64_t>(i + 1);
    labeled.push_back(generator.Labeled(id, id % 1000 + 1));
  }
  auto trained = RiskModel::Train(LabeledFrame(labeled), TrainOptions{});
  if (!trained.ok()) return trained.status();
  spdlog::info("risk model trained on {} generated labeled transactions: holdout accuracy {:.4f}",
               rows, trained->second.accuracy);
  return std::move(trained->first);
}

absl::StatusOr<RiskModel> TrainFromLabeledFile(const std::string& labeled_csv) {
  absl::StatusOr<Frame> labeled = ReadCsvFile(labeled_csv);
  if (!labeled.ok()) return labeled.status();
  auto trained = RiskModel::Train(*labeled, TrainOptions{});
  if (!trained.ok()) return trained.status();
  const TrainReport& report = trained->second;
  spdlog::info("risk model trained from {} ({} rows, holdout accuracy {:.4f})", labeled_csv,
               report.train_rows + report.test_rows, report.accuracy);
  return std::move(trained->first);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const RiskModel>> LoadOrTrainRiskModel(
    const std::string& path, size_t train_rows, const std::string& labeled_csv) {
  const std::string candidate = path.empty() ? std::string(kDefaultModelPath) : path;
  std::error_code ec;
  if (std::filesystem::exists(candidate, ec)) {
    absl::StatusOr<RiskModel> model = RiskModel::Load(candidate);
    if (!model.ok()) return model.status();
    spdlog::info("risk model loaded from {}", candidate);
    return std::make_shared<const RiskModel>(std::move(*model));
  }
  std::error_code labeled_ec;
  const bool from_file = !labeled_csv.empty() && std::filesystem::exists(labeled_csv, labeled_ec);
  spdlog::info("no risk model at {}: training one from {}", candidate,
               from_file ? labeled_csv : "generated labeled data, as the seed did");
  absl::StatusOr<RiskModel> model =
      from_file ? TrainFromLabeledFile(labeled_csv) : TrainFromGeneratedData(train_rows);
  if (!model.ok()) {
    return absl::Status(model.status().code(),
                        "training the risk model: " + std::string(model.status().message()));
  }
  if (!path.empty()) {
    if (absl::Status saved = model->Save(path); !saved.ok()) return saved;
    spdlog::info("risk model saved to {}", path);
  }
  return std::make_shared<const RiskModel>(std::move(*model));
}

}  // namespace gym
