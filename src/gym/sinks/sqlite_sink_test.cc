// Tests for the SQLite sink: it acknowledges with the commit status, commits a batch's
// rejected items with its rows and reports what it stored.
#include "gym/sinks/sqlite_sink.h"

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/sqlite_test_util.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::TempDb;

constexpr auto kWait = std::chrono::seconds(20);

std::unique_ptr<GroupCommitWriter> OpenWriter(const std::string& path) {
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer = GroupCommitWriter::Open(path);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

TEST(SqliteSinkTest, SinkAcknowledgesWithTheCommitStatusAndCounts) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"});
  const Frame frame({"event_id"}, {Column::Strings({"x", "y", "x"})});
  std::promise<absl::Status> acked;
  sink.HandleAsync(frame, MessageContext{}, [&](absl::Status s) { acked.set_value(std::move(s)); });
  std::future<absl::Status> status = acked.get_future();
  ASSERT_EQ(status.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(status.get().ok());
  EXPECT_EQ(sink.totals().inserted, 2);
  EXPECT_EQ(sink.totals().ignored, 1);
  ASSERT_OK_AND_ASSIGN(const Frame handled,
                       sink.Handle(Frame({"event_id"}, {Column::Strings({"z"})})));
  EXPECT_EQ(handled.num_rows(), 1u);
  EXPECT_EQ(sink.totals().inserted, 3);
}

// Handles `frame` with `context` and waits for the sink's answer.
absl::Status HandleAndWait(SqliteSink& sink, Frame frame, const MessageContext& context) {
  std::promise<absl::Status> acked;
  sink.HandleAsync(std::move(frame), context,
                   [&](absl::Status s) { acked.set_value(std::move(s)); });
  std::future<absl::Status> status = acked.get_future();
  if (status.wait_for(kWait) != std::future_status::ready) {
    return absl::DeadlineExceededError("no answer");
  }
  return status.get();
}

Frame Rejected(std::vector<std::string> event_ids) {
  std::vector<std::string> reasons(event_ids.size(), "valor: not a number");
  return Frame({"event_id", "reason"},
               {Column::Strings(std::move(event_ids)), Column::Strings(std::move(reasons))});
}

TEST(SqliteSinkTest, CommitsTheContextsRejectedItemsWithTheRowsAndReportsWhatItStored) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"}, "rejected_events");
  ASSERT_TRUE(
      HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"a"})}), MessageContext{}).ok());

  MessageContext context;
  context.rejected = Rejected({"r1", "a"});  // "a" is already stored: not recorded
  context.expected_rows = 2;
  ASSERT_TRUE(
      HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"a", "b"})}), context).ok());
  EXPECT_TRUE(context.report->stored.load());
  EXPECT_EQ(context.report->inserted.load(), 1);
  EXPECT_EQ(context.report->duplicates.load(), 1);
  EXPECT_EQ(context.report->rejected_known.load(), 1);
  EXPECT_EQ(db.CountFromOtherConnection("events"), 2);
  EXPECT_EQ(db.CountFromOtherConnection("rejected_events"), 1);

  // Stored later, "r1" leaves rejected_events: an event is never in both tables.
  ASSERT_TRUE(
      HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"r1"})}), MessageContext{}).ok());
  EXPECT_EQ(db.CountFromOtherConnection("rejected_events"), 0);
}

TEST(SqliteSinkTest, ABatchWithNoRowsStillCommitsItsRejectedItems) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"}, "rejected_events");
  MessageContext context;
  context.rejected = Rejected({"r1", "r2"});
  context.expected_rows = 0;
  ASSERT_TRUE(HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({})}), context).ok());
  EXPECT_TRUE(context.report->stored.load());
  EXPECT_EQ(db.CountFromOtherConnection("rejected_events"), 2);
}

TEST(SqliteSinkTest, FewerRowsThanExpectedFailWithoutWritingAnything) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"}, "rejected_events");
  MessageContext context;
  context.rejected = Rejected({"r1"});
  context.expected_rows = 3;
  absl::Status s = HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"a", "b"})}), context);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(s.message()), HasSubstr("2 of 3 accepted rows reached the events sink"));
  EXPECT_FALSE(context.report->stored.load());
  EXPECT_EQ(*writer->CountRows("events"), 0);
}

TEST(SqliteSinkTest, ADeclaredTableRefusesRowsWithoutOneOfItsColumns) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"}, std::nullopt,
                  {{"event_id", DataType::kString}, {"valor", DataType::kDouble}});
  ASSERT_TRUE(sink.Open().ok());  // creates the table from the schema
  EXPECT_EQ(*writer->CountRows("events"), 0);
  absl::Status s =
      HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"a"})}), MessageContext{});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("declares column 'valor', which this message lacks (it has: event_id)"));
  EXPECT_EQ(*writer->CountRows("events"), 0);
  EXPECT_TRUE(HandleAndWait(sink,
                            Frame({"event_id", "valor"},
                                  {Column::Strings({"a"}), Column::Doubles({1.5})}),
                            MessageContext{})
                  .ok());
  EXPECT_EQ(*writer->CountRows("events"), 1);
}

TEST(SqliteSinkTest, RejectedItemsWithoutARejectedTableFailTheMessage) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  SqliteSink sink(*writer, {"events", "event_id"});
  MessageContext context;
  context.rejected = Rejected({"r1"});
  EXPECT_EQ(HandleAndWait(sink, Frame({"event_id"}, {Column::Strings({"a"})}), context).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gym
