// gym: the whole public API of the framework in one include.
//
//   #include "gym/gym.h"
//
//   gym::PartRegistry parts = gym::BuiltinParts();   // every built-in source, handler, sink
//   parts.Add(MyHandlerPart());                       // plus your own
//   gym::PipelineLoad load = gym::LoadPipelineFile("my.toml", parts);
//   ... gym::CheckPipeline(*load.spec, parts), gym::AssemblePipeline(...) ...
//
// With CMake: find_package(gym) and link gym::gym. The gRPC server, the load test and the
// command line are applications on top of this API and are not part of it; neither are the
// SQLite-level storage internals (no header here includes sqlite3.h or oneTBB).
#ifndef GYM_GYM_H_
#define GYM_GYM_H_

// Frames: typed columns, schemas, relational operations, text tables.
#include "gym/frame/column.h"
#include "gym/frame/frame.h"
#include "gym/frame/frame_error.h"
#include "gym/frame/schema.h"
#include "gym/frame/text_table.h"
#include "gym/frame/value.h"

// Domain rules: calendar dates, CPF, currencies, categories.
#include "gym/domain/categories.h"
#include "gym/domain/cpf.h"
#include "gym/domain/currencies.h"
#include "gym/domain/dates.h"

// Pipelines: handlers, the DAG, completion tokens, message context, the registry of parts,
// pipeline files and their checks, test cases, triggers.
#include "gym/pipeline/builtin_pipelines.h"
#include "gym/pipeline/column_contract.h"
#include "gym/pipeline/completion_token.h"
#include "gym/pipeline/directory_watcher.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/message_log.h"
#include "gym/pipeline/message_context.h"
#include "gym/pipeline/part_options.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/pipeline/row_error.h"
#include "gym/pipeline/test_cases.h"
#include "gym/pipeline/timer_trigger.h"

// Storage: the group-commit writer that SQLite sinks share.
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/table_options.h"

// Sources and sinks.
#include "gym/sinks/csv_sink.h"
#include "gym/sinks/rejected_events.h"
#include "gym/sinks/rejection_log.h"
#include "gym/sinks/save_csv_handler.h"
#include "gym/sinks/sqlite_sink.h"
#include "gym/sources/csv_source.h"
#include "gym/sources/file_digest.h"
#include "gym/sources/producer.h"
#include "gym/sources/records_source.h"
#include "gym/sources/sqlite_source.h"
#include "gym/sources/txt_source.h"

// Handlers.
#include "gym/handlers/active_clients.h"
#include "gym/handlers/category_classifier.h"
#include "gym/handlers/client_metrics.h"
#include "gym/handlers/client_profile.h"
#include "gym/handlers/column_selection.h"
#include "gym/handlers/currency_to_brl.h"
#include "gym/handlers/decision_tree_node.h"
#include "gym/handlers/metric_handler.h"
#include "gym/handlers/normalizer.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/handlers/risk_handler.h"
#include "gym/handlers/risk_model.h"
#include "gym/handlers/transaction_check.h"
#include "gym/handlers/transaction_metrics.h"

// Mock data, and the registration of every built-in part.
#include "gym/datagen/builtin_parts.h"
#include "gym/datagen/generated_transactions.h"
#include "gym/datagen/generator.h"

// Jobs: a pipeline file run on files (the job of `gym run`), the risk model's load-or-train.
#include "gym/jobs/file_inputs.h"
#include "gym/jobs/file_job.h"
#include "gym/jobs/model_loader.h"

#endif  // GYM_GYM_H_
