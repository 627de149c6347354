// The risk model gym serve, gym run and gym test score transactions with: loaded from a file, or,
// as the seed did, trained at start-up from generated labeled transactions when no model file is
// found.
#ifndef GYM_JOBS_MODEL_LOADER_H_
#define GYM_JOBS_MODEL_LOADER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gym/handlers/risk_model.h"

namespace gym {

inline constexpr char kDefaultModelPath[] = "risk_model.json";

// The one way gym serve, gym run and gym test get their risk model.
//
// `path` set: loads it when the file exists; otherwise trains and saves the model there.
// `path` empty: loads ./risk_model.json when present; otherwise trains and keeps the model in
// memory only. Training uses `labeled_csv` (a labeled_transactions.csv: id, cliente_id, data,
// valor, moeda, suspeita) when it is given and exists, else `train_rows` rows of
// MockGenerator::Labeled (seed 42, today); it logs which, with the holdout accuracy.
absl::StatusOr<std::shared_ptr<const RiskModel>> LoadOrTrainRiskModel(
    const std::string& path, size_t train_rows, const std::string& labeled_csv = "");

}  // namespace gym

#endif  // GYM_JOBS_MODEL_LOADER_H_
