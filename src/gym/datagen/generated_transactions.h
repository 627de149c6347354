// GeneratedTransactionsSource: a source that makes mock transactions when a trigger fires
// (the seed's timer producer, which generated new transactions on a schedule).
//
// Each message it receives is a tick, one row with a `run` column (TimerTick(run)); it
// produces `rows` new transactions for that run, with ids far above any file's
// (900,000,000 + run * 1,000,000 + i), the batch id "timer:<run>" and event ids from it, so
// the same run again stores nothing twice.
//
// It sits in datagen/, not sources/, because it is made of the mock generator: datagen may
// use sources (it stamps ids with a ProducerHandler), sources may not use datagen.
//
//   [sources.timer_tx]
//   type = "generated_transactions"
//   rows = 100
#ifndef GYM_DATAGEN_GENERATED_TRANSACTIONS_H_
#define GYM_DATAGEN_GENERATED_TRANSACTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "gym/frame/frame.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"
#include "gym/sources/producer.h"

namespace gym {

// The tick a timer submits for run `run` (counted from 1).
Frame TimerTick(int64_t run);

// The batch id of run `run`'s transactions: "timer:<run>".
std::string TimerBatchId(int64_t run);

// `rows` generated transactions of run `run` (new-transaction columns plus batch_id).
Frame TimerTransactions(int64_t run, size_t rows, uint64_t seed);

class GeneratedTransactionsSource final : public Handler {
 public:
  GeneratedTransactionsSource(size_t rows, uint64_t seed) : rows_(rows), seed_(seed) {}
  // INVALID_ARGUMENT when `input` is not a tick.
  absl::StatusOr<Frame> Handle(Frame input) override;

 private:
  const size_t rows_;
  const uint64_t seed_;
  ProducerHandler stamp_;  // batch and event ids, as every source gives them
};

// The `generated_transactions` source of pipeline files.
PartInfo GeneratedTransactionsPart();

}  // namespace gym

#endif  // GYM_DATAGEN_GENERATED_TRANSACTIONS_H_
