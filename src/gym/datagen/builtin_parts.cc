// The built-in parts, one registration line each (see builtin_parts.h).
#include "gym/datagen/builtin_parts.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "gym/datagen/generated_transactions.h"
#include "gym/handlers/active_clients.h"
#include "gym/handlers/category_classifier.h"
#include "gym/handlers/client_metrics.h"
#include "gym/handlers/client_profile.h"
#include "gym/handlers/column_selection.h"
#include "gym/handlers/currency_to_brl.h"
#include "gym/handlers/normalizer.h"
#include "gym/handlers/risk_handler.h"
#include "gym/handlers/transaction_check.h"
#include "gym/handlers/transaction_metrics.h"
#include "gym/pipeline/directory_watcher.h"
#include "gym/pipeline/timer_trigger.h"
#include "gym/sinks/save_csv_handler.h"
#include "gym/sinks/sqlite_sink.h"
#include "gym/sources/producer.h"

namespace gym {
namespace {

// A built-in part that cannot be registered is a bug of gym itself (a name used twice).
void Add(PartRegistry& registry, PartInfo info) {
  if (absl::Status s = registry.Add(std::move(info)); !s.ok()) {
    throw std::logic_error(std::string(s.message()));
  }
}

}  // namespace

void RegisterBuiltinParts(PartRegistry& r) {
  // sources
  Add(r, FileSourcePart());
  Add(r, SqliteTableSourcePart());
  Add(r, RecordsSourcePart());
  Add(r, GeneratedTransactionsPart());
  // handlers
  Add(r, NormalizerPart());
  Add(r, CategoryPart());
  Add(r, RiskPart());
  Add(r, TransactionCheckPart());
  Add(r, DropColumnsPart());
  Add(r, KeepColumnsPart());
  Add(r, CurrencyToBrlPart());
  Add(r, AverageValuePerClientPart());
  Add(r, MostTransactionsClientPart());
  Add(r, CountPerCategoryPart());
  Add(r, SuspiciousPercentagePart());
  Add(r, ValuePerCurrencyPart());
  Add(r, ClientProfilePart());
  Add(r, ActiveClientsPart());
  // sinks
  Add(r, SqliteSinkPart());
  Add(r, CsvSinkPart());
  // triggers
  Add(r, FilesTriggerPart());
  Add(r, TimerTriggerPart());
}

PartRegistry BuiltinParts() {
  PartRegistry registry;
  RegisterBuiltinParts(registry);
  return registry;
}

}  // namespace gym
