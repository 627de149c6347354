// The built-in serve pipeline against what gym serve really submits: the columns its sources
// declare, and the tables its stores declare, are those of the converted batches.
#include "gym/server/ingest_pipelines.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/datagen/builtin_parts.h"
#include "gym/pipeline/builtin_pipelines.h"
#include "gym/server/proto_frame.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The schema of an empty converted batch of `type`.
Schema BatchSchema(EventType type) {
  const BatchContext ctx{"b", "2026-01-01T00:00:00Z", {}};
  switch (type) {
    case EventType::kClients:
      return ClientsToFrame({}, {}, ctx).schema();
    case EventType::kTransactions:
      return TransactionsToFrame({}, {}, ctx).schema();
    case EventType::kScores:
      break;
  }
  return ScoresToFrame({}, {}, ctx).schema();
}

TEST(IngestPipelinesTest, TheBuiltInFileDeclaresWhatTheServerSubmitsAndStores) {
  const PartRegistry parts = BuiltinParts();
  PipelineLoad load = LoadBuiltinPipeline("serve", parts);
  ASSERT_TRUE(load.ok()) << load.errors[0];
  const PipelineSpec& spec = *load.spec;
  EXPECT_THAT(CheckPipeline(spec, parts), IsEmpty());
  EXPECT_THAT(CheckServePipeline(spec), IsEmpty());
  for (EventType type : kEventTypes) {
    const Schema batch = BatchSchema(type);
    // The source declares every column but the ids it stamps itself, with its type.
    const PartSpec& source = *spec.Find(EntryNode(type));
    std::map<std::string, std::string> expected;
    for (const Field& f : batch.fields()) {
      if (f.name != "event_id" && f.name != "batch_id") {
        expected[f.name] = std::string(DataTypeName(f.type));
      }
    }
    EXPECT_EQ(source.options.StringMap("columns"), expected) << EventTypeName(type);
    // The store's table: the batch's columns, in order, plus what the handlers add.
    std::vector<std::string> stored;
    for (const PartSpec& part : Reachable(spec, EntryNode(type)).parts) {
      if (part.type == "sqlite") stored = part.options.Strings("schema");
    }
    std::vector<std::string> want;
    for (const Field& f : batch.fields()) {
      want.push_back(f.name + ":" + std::string(DataTypeName(f.type)));
    }
    if (type == EventType::kTransactions) want.push_back("suspeita:int64");
    EXPECT_EQ(stored, want) << EventTypeName(type);
  }
}

TEST(IngestPipelinesTest, AFileWithoutAStoreForATypeIsRefusedNamingIt) {
  const PartRegistry parts = BuiltinParts();
  PipelineLoad load = ParsePipeline(R"([sources.clients]
type = "records"
[sources.transactions]
type = "records"
[sinks.store]
type = "sqlite"
inputs = ["transactions"]
table = "transactions"
)",
                                    "mine.toml", parts);
  ASSERT_TRUE(load.ok()) << load.errors[0];
  const std::vector<std::string> errors = CheckServePipeline(*load.spec);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("mine.toml:1: source 'clients' reaches 0 sqlite sinks"));
  EXPECT_THAT(errors[1], HasSubstr("a source named 'scores'"));
}

}  // namespace
}  // namespace gym
