// ColumnContract: what a pipeline part does to the columns of the frames it receives.
//
// Declared by each part so a pipeline can be checked before it runs: a node that reads
// `valor` downstream of one that drops it, or reads it as a number where an earlier node made
// it text, is an error of `gym validate`, not a failure in the middle of a run.
//
//   risk:      reads data (string), valor (any type), moeda (string); adds suspeita (int64)
//   a metric:  reads cliente_id (int64); replaces the frame with cliente_id, transacoes
//   a source:  adds the columns its files must have; other columns may come too (open)
#ifndef GYM_PIPELINE_COLUMN_CONTRACT_H_
#define GYM_PIPELINE_COLUMN_CONTRACT_H_

#include <optional>
#include <string>
#include <vector>

#include "gym/frame/schema.h"

namespace gym {

struct ColumnRead {
  std::string name;
  std::optional<DataType> type;  // nullopt: any type will do
  // A part with several inputs that each bring some of its columns (a join of clients and
  // transactions) reads a column only from the messages that have it: its absence is no
  // error, but when it arrives it must have `type`.
  bool when_present = false;
};

struct ColumnContract {
  std::vector<ColumnRead> reads;
  // Columns added, or rewritten with this type.
  std::vector<Field> adds;
  std::vector<std::string> drops;
  // The output is a new frame of exactly `adds` (a metric's totals), not the input changed.
  bool replaces = false;
  // The output keeps only these input columns (with the types they arrived with), plus `adds`.
  std::optional<std::vector<std::string>> keeps_only;
  // A sink with a declared table: every column it stores, with its type. Along every path
  // each must arrive with that type, and no column known to arrive may be missing from it.
  std::vector<Field> stores;
};

}  // namespace gym

#endif  // GYM_PIPELINE_COLUMN_CONTRACT_H_
