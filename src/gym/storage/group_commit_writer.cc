// GroupCommitWriter: one thread per database that commits every waiting frame at once.
#include "gym/storage/group_commit_writer.h"

#include <algorithm>
#include <exception>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gym/storage/sqlite_connection.h"
#include "gym/storage/sqlite_table_writer.h"
#include "gym/storage/wal_checkpointer.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// Errors that concern one item's data or schema; anything else (busy, full, I/O) concerns
// the whole transaction.
bool IsItemLevel(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GroupCommitWriter>> GroupCommitWriter::Open(
    const std::string& db_path, WriterOptions options) {
  absl::StatusOr<SqliteConnection> db =
      OpenForWriting(db_path, options.synchronous_full, options.busy_timeout);
  if (!db.ok()) return db.status();
  return std::unique_ptr<GroupCommitWriter>(
      new GroupCommitWriter(std::make_unique<SqliteConnection>(std::move(*db)), options));
}

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteConnection> db,
                                     WriterOptions options)
    : db_(std::move(db)),
      options_(options),
      table_writer_(std::make_unique<SqliteTableWriter>(*db_)),
      checkpointer_(WalCheckpointer::Start(*db_, options.synchronous_full)) {
  options_.max_group_frames = std::max<size_t>(options_.max_group_frames, 1);
  delivery_thread_ = std::thread([this] { RunDeliveries(); });
  thread_ = std::thread([this] { Run(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    // Everything queued is committed and delivered first, including writes that done
    // callbacks make meanwhile: the writer thread is still there to take them.
    std::unique_lock<std::mutex> lock(mu_);
    drained_cv_.wait(lock, [this] { return finished_ >= enqueued_; });
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
  checkpointer_.reset();  // no commit runs any more
  {
    std::lock_guard<std::mutex> lock(mu_);
    delivery_stopping_ = true;
  }
  delivery_cv_.notify_all();
  delivery_thread_.join();  // after every delivery queued so far
}

void GroupCommitWriter::Write(TableOptions table, Frame frame, Done done) {
  Item item;
  item.parts.emplace_back(std::move(table), std::move(frame));
  item.done = std::move(done);
  Enqueue(std::move(item));
}

void GroupCommitWriter::WriteAll(std::vector<std::pair<TableOptions, Frame>> parts, Done done) {
  Item item;
  item.parts = std::move(parts);
  item.done = std::move(done);
  Enqueue(std::move(item));
}

void GroupCommitWriter::Enqueue(Item item) {
  std::unique_lock<std::mutex> lock(mu_);
  ++enqueued_;
  // Queue order is commit order (and callback order), so the caller may go first only when
  // nothing is waiting, committing or being delivered.
  if (!options_.commit_on_caller_when_idle || item.task || committing_ || !queue_.empty() ||
      undelivered_ > 0 || stopping_) {
    queue_.push_back(std::move(item));
    lock.unlock();
    work_cv_.notify_one();
    return;
  }
  committing_ = true;
  const CommitObserver observer = observer_;
  lock.unlock();
  Delivery delivery;
  delivery.items.push_back(std::move(item));
  CommitGroup(delivery, observer);
  Deliver(delivery);
  lock.lock();
  committing_ = false;
  ++finished_;
  // What arrived meanwhile waited for this commit; the writer thread takes it as one group.
  // A stopping writer waits for this commit to end before it drains and exits.
  const bool wake_writer = !queue_.empty() || stopping_;
  lock.unlock();
  drained_cv_.notify_all();
  if (wake_writer) work_cv_.notify_one();
}

void GroupCommitWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = enqueued_;
  drained_cv_.wait(lock, [&] { return finished_ >= target; });
}

absl::StatusOr<int64_t> GroupCommitWriter::CountRows(const std::string& table) {
  if (absl::Status s = ValidateIdentifier(table); !s.ok()) return s;
  std::promise<absl::StatusOr<int64_t>> promise;
  std::future<absl::StatusOr<int64_t>> result = promise.get_future();
  Item item;
  item.task = [&table, &promise](SqliteConnection& db) {
    absl::StatusOr<bool> exists = db.TableExists(table);
    if (!exists.ok() || !*exists) {
      promise.set_value(exists.ok() ? absl::StatusOr<int64_t>(0) : exists.status());
      return;
    }
    absl::StatusOr<SqliteStatement> count =
        db.Prepare(absl::StrCat("SELECT count(*) FROM ", QuoteIdentifier(table)));
    if (!count.ok()) {
      promise.set_value(count.status());
      return;
    }
    absl::StatusOr<bool> row = count->Step();
    promise.set_value(row.ok() ? absl::StatusOr<int64_t>(count->ColumnInt64(0)) : row.status());
  };
  Enqueue(std::move(item));
  return result.get();
}

WriterStats GroupCommitWriter::stats() const {
  return WriterStats{groups_.load(), frames_.load(), rows_.load(), failed_items_.load()};
}

void GroupCommitWriter::SetCommitObserver(CommitObserver observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

void GroupCommitWriter::Run() {
  while (true) {
    std::vector<Item> group;
    CommitObserver observer;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return (stopping_ || !queue_.empty()) && !committing_; });
      if (queue_.empty()) return;  // stopping, and everything queued has been handled
      committing_ = true;
      // A task ends the group: it must see the commit of every write queued before it.
      while (!queue_.empty() && group.size() < options_.max_group_frames) {
        const bool is_task = static_cast<bool>(queue_.front().task);
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (is_task) break;
      }
      observer = observer_;
    }
    std::function<void(SqliteConnection&)> task;
    if (group.back().task) {
      task = std::move(group.back().task);
      group.pop_back();
    }
    Delivery delivery;
    delivery.handled = group.size() + (task ? 1 : 0);
    delivery.items = std::move(group);
    if (!delivery.items.empty()) CommitGroup(delivery, observer);
    if (task) task(*db_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      committing_ = false;
      deliveries_.push_back(std::move(delivery));
      ++undelivered_;
    }
    delivery_cv_.notify_one();
  }
}

void GroupCommitWriter::RunDeliveries() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    delivery_cv_.wait(lock, [this] { return delivery_stopping_ || !deliveries_.empty(); });
    if (deliveries_.empty()) return;  // stopping, and everything committed was delivered
    Delivery delivery = std::move(deliveries_.front());
    deliveries_.pop_front();
    lock.unlock();
    Deliver(delivery);
    const size_t handled = delivery.handled;
    delivery = Delivery{};  // the items' frames and callbacks go before Flush can return
    lock.lock();
    --undelivered_;
    finished_ += handled;
    drained_cv_.notify_all();
  }
}

absl::Status GroupCommitWriter::WriteItem(const Item& item, WriteResult& result) {
  for (size_t p = 0; p < item.parts.size(); ++p) {
    const auto& [table, frame] = item.parts[p];
    absl::StatusOr<WriteResult> part;
    try {
      part = table_writer_->Insert(table, frame);
    } catch (const std::exception& e) {
      part = absl::InvalidArgumentError(absl::StrCat("table '", table.table, "': ", e.what()));
    }
    if (!part.ok()) {
      if (item.parts.size() == 1) return part.status();
      return absl::Status(part.status().code(),
                          absl::StrCat("part ", p, ": ", part.status().message()));
    }
    result += *part;
    if (item.parts.size() > 1) result.parts.push_back(*std::move(part));
  }
  return absl::OkStatus();
}

void GroupCommitWriter::CommitGroup(Delivery& delivery, const CommitObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Item>& items = delivery.items;
  std::vector<absl::Status>& statuses = delivery.statuses;
  std::vector<WriteResult>& results = delivery.results;
  statuses.assign(items.size(), absl::OkStatus());
  results.assign(items.size(), WriteResult{});
  absl::Status group_status;
  absl::StatusOr<SqliteTransaction> txn =
      SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kImmediate);
  if (!txn.ok()) group_status = txn.status();
  for (size_t i = 0; i < items.size() && group_status.ok(); ++i) {
    // The savepoint lets one bad item be undone without failing the rest of the group.
    const size_t mark = table_writer_->SavepointMark();
    if (group_status = db_->ExecCached("SAVEPOINT gym_item"); !group_status.ok()) break;
    absl::Status item_status = WriteItem(items[i], results[i]);
    if (item_status.ok()) {
      group_status = db_->ExecCached("RELEASE gym_item");
      continue;
    }
    results[i] = WriteResult{};
    if (db_->InAutocommit() || !IsItemLevel(item_status)) {
      group_status = item_status;
      break;
    }
    // The savepoint undoes the item's rows (their keys go from the key index's pending set)
    // and maybe a CREATE or ALTER the table writer remembers.
    table_writer_->RolledBackTo(mark);
    group_status = db_->Exec("ROLLBACK TO gym_item; RELEASE gym_item");
    statuses[i] = std::move(item_status);
  }
  if (group_status.ok()) {
    group_status = txn->Commit();
  } else if (txn.ok()) {
    txn->Rollback();
  }

  size_t committed = 0;
  size_t rows = 0;
  if (!group_status.ok()) {
    table_writer_->RolledBack();
    const absl::Status shared(
        group_status.code(),
        absl::StrCat("group of ", items.size(), " writes rolled back: ", group_status.message()));
    std::fill(statuses.begin(), statuses.end(), shared);
    std::fill(results.begin(), results.end(), WriteResult{});
  } else {
    table_writer_->Committed();
    for (size_t i = 0; i < items.size(); ++i) {
      if (!statuses[i].ok()) continue;
      ++committed;
      rows += static_cast<size_t>(results[i].inserted + results[i].ignored);
    }
    if (committed > 0) {
      groups_.fetch_add(1);
      frames_.fetch_add(static_cast<int64_t>(committed));
      rows_.fetch_add(static_cast<int64_t>(rows));
      if (observer) observer(committed, rows, std::chrono::steady_clock::now() - start);
    }
  }
  failed_items_.fetch_add(static_cast<int64_t>(items.size() - committed));
}

void GroupCommitWriter::Deliver(Delivery& delivery) {
  for (size_t i = 0; i < delivery.items.size(); ++i) {
    Item& item = delivery.items[i];
    if (!item.done) continue;
    try {
      item.done(delivery.statuses[i], delivery.results[i]);
    } catch (const std::exception& e) {
      // A throwing callback must not kill the writer thread and strand every later write.
      spdlog::error("sqlite writer '{}': a done callback threw: {}", db_->path(), e.what());
    }
  }
}

}  // namespace gym
