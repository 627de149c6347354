// GroupCommitWriter: one thread per database that commits every waiting frame at once.
#include "gym/storage/group_commit_writer.h"

#include <algorithm>
#include <exception>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gym/storage/commit_backend.h"
#include "gym/storage/identifiers.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/sqlite_commit_backend.h"
#include "gym/storage/sqlite_connection.h"
#include "spdlog/spdlog.h"

namespace gym {

absl::Status CheckWritableDatabase(const std::string& db) {
  if (IsPostgresTarget(db)) return OpenPostgresBackend(db).status();
  return OpenForWriting(db).status();
}

absl::StatusOr<std::unique_ptr<GroupCommitWriter>> GroupCommitWriter::Open(const std::string& db,
                                                                           WriterOptions options) {
  absl::StatusOr<std::unique_ptr<CommitBackend>> backend;
  if (IsPostgresTarget(db)) {
    backend = OpenPostgresBackend(db, PostgresOptions{.busy_timeout = options.busy_timeout});
  } else {
    auto sqlite = SqliteCommitBackend::Open(db, options.synchronous_full, options.busy_timeout);
    if (sqlite.ok()) {
      backend = std::unique_ptr<CommitBackend>(*std::move(sqlite));
    } else {
      backend = sqlite.status();
    }
  }
  if (!backend.ok()) return backend.status();
  return std::make_unique<GroupCommitWriter>(*std::move(backend), options);
}

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<CommitBackend> backend,
                                     WriterOptions options)
    : backend_(std::move(backend)), description_(backend_->Describe()), options_(options) {
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
  backend_.reset();  // no commit runs any more
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
  item.task = [&table, &promise](CommitBackend& backend) {
    promise.set_value(backend.CountRows(table));
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
    std::function<void(CommitBackend&)> task;
    if (group.back().task) {
      task = std::move(group.back().task);
      group.pop_back();
    }
    Delivery delivery;
    delivery.handled = group.size() + (task ? 1 : 0);
    delivery.items = std::move(group);
    if (!delivery.items.empty()) CommitGroup(delivery, observer);
    if (task) task(*backend_);
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

void GroupCommitWriter::CommitGroup(Delivery& delivery, const CommitObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Item>& items = delivery.items;
  std::vector<absl::Status>& statuses = delivery.statuses;
  std::vector<WriteResult>& results = delivery.results;
  statuses.assign(items.size(), absl::OkStatus());
  results.assign(items.size(), WriteResult{});
  std::vector<const WriteParts*> parts;
  parts.reserve(items.size());
  for (const Item& item : items) parts.push_back(&item.parts);
  absl::Status group_status = backend_->CommitGroup(parts, statuses, results);

  size_t committed = 0;
  size_t rows = 0;
  if (!group_status.ok()) {
    const absl::Status shared(
        group_status.code(),
        absl::StrCat("group of ", items.size(), " writes rolled back: ", group_status.message()));
    std::fill(statuses.begin(), statuses.end(), shared);
    std::fill(results.begin(), results.end(), WriteResult{});
  } else {
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
      spdlog::error("writer of {}: a done callback threw: {}", description_, e.what());
    }
  }
}

}  // namespace gym
