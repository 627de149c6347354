// Pacing, open-loop dispatch and end-of-run detection (see run_control.h).
#include "gym/loadtest/internal/run_control.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "gym/loadtest/rps_schedule.h"

namespace gym::loadtest {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr auto kProgressInterval = std::chrono::seconds(5);

}  // namespace

RunControl::RunControl(const RunOptions& options, Pacer& timer)
    : options_(options), open_loop_(options.rps > 0), timer_(timer) {
  for (int i = 0; i < options.clients; ++i) {
    pause_rngs_.emplace_back(options.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i));
  }
}

double RunControl::wall_seconds() const {
  return std::chrono::duration<double>(last_answer_ - start_).count();
}

double RunControl::DrawPause(int client) {
  if (options_.mode == PaceMode::kClosed || options_.pause_max_seconds <= 0) return 0;
  std::uniform_real_distribution<double> pause(options_.pause_min_seconds,
                                               options_.pause_max_seconds);
  return pause(pause_rngs_[static_cast<size_t>(client)]);
}

void RunControl::Send(ClientSession& session, Clock::time_point scheduled) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++in_flight_;
  }
  session.SendNext(scheduled);
}

void RunControl::Finished() {
  std::lock_guard<std::mutex> lock(mu_);
  --in_flight_;
  last_answer_ = Clock::now();
  if (in_flight_ == 0 && pending_ == 0) idle_.notify_all();
}

void RunControl::OnBatchDone(ClientSession& session) {
  ++answered_;
  const Clock::time_point now = Clock::now();
  // The next batch is accounted for (in flight or pending) before this one is finished, so
  // the run never looks idle in between.
  if (!open_loop_ && session.HasNext() && !Stopped(now)) {
    const double pause = DrawPause(session.index());
    if (pause <= 0) {
      Send(session, now);
    } else {
      SendAfter(session, now + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(pause)));
    }
  }
  Finished();
}

void RunControl::SendAfter(ClientSession& session, Clock::time_point due) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++pending_;
  }
  timer_.At(due, [this, &session] {
    const Clock::time_point t = Clock::now();
    if (!Stopped(t)) Send(session, t);
    std::lock_guard<std::mutex> lock(mu_);
    --pending_;
    if (in_flight_ == 0 && pending_ == 0) idle_.notify_all();
  });
}

void RunControl::Dispatch(const std::vector<std::unique_ptr<ClientSession>>& sessions) {
  std::vector<int64_t> remaining;
  for (const auto& s : sessions) remaining.push_back(static_cast<int64_t>(s->planned()));
  RpsSchedule schedule(options_.rps, std::move(remaining));
  while (std::optional<RpsSchedule::Arrival> a = schedule.Next()) {
    const Clock::time_point due = start_ + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(a->due_seconds));
    if (due >= stop_) break;
    // Behind schedule, the batch goes at once and its lateness counts in its round-trip. The
    // sleep is cut in slices so that an interrupt is seen within one.
    while (!interrupted_ && Clock::now() < due) {
      std::this_thread::sleep_until(std::min(due, Clock::now() + kPollInterval));
    }
    if (interrupted_) break;
    Send(*sessions[static_cast<size_t>(a->client)], due);
  }
  std::lock_guard<std::mutex> lock(mu_);
  issuing_done_ = true;
  idle_.notify_all();
}

void RunControl::Run(const std::vector<std::unique_ptr<ClientSession>>& sessions) {
  int64_t planned = 0;
  for (const auto& s : sessions) planned += static_cast<int64_t>(s->planned());
  start_ = Clock::now();
  last_answer_ = start_;
  stop_ = options_.duration
              ? start_ + std::chrono::duration_cast<Clock::duration>(*options_.duration)
              : Clock::time_point::max();
  std::thread dispatcher;
  if (open_loop_) {
    dispatcher = std::thread([this, &sessions] { Dispatch(sessions); });
  } else {
    for (const auto& s : sessions) {
      if (!s->HasNext()) continue;
      const double pause = options_.spread_start ? DrawPause(s->index()) : 0;
      if (pause <= 0) {
        Send(*s, start_);
      } else {
        SendAfter(*s, start_ + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(pause)));
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    issuing_done_ = true;
  }
  WaitUntilIdle(sessions, planned);
  if (dispatcher.joinable()) dispatcher.join();
}

void RunControl::WaitUntilIdle(const std::vector<std::unique_ptr<ClientSession>>& sessions,
                               int64_t planned) {
  Clock::time_point next_progress = Clock::now() + kProgressInterval;
  std::unique_lock<std::mutex> lock(mu_);
  while (!(issuing_done_ && in_flight_ == 0 && pending_ == 0)) {
    idle_.wait_for(lock, kPollInterval);
    lock.unlock();
    const Clock::time_point now = Clock::now();
    if (options_.interrupt != nullptr && options_.interrupt->load() &&
        !interrupted_.exchange(true)) {
      for (const auto& s : sessions) s->CancelAll();
    }
    if (options_.rpc == RpcKind::kStream) {
      for (const auto& s : sessions) s->CancelStaleStream(now);
    }
    if (options_.progress && now >= next_progress) {
      next_progress = now + kProgressInterval;
      std::fprintf(stderr, "  %lld/%lld batches answered, %.1f s\n",
                   static_cast<long long>(answered_.load()), static_cast<long long>(planned),
                   std::chrono::duration<double>(now - start_).count());
    }
    lock.lock();
  }
}

}  // namespace gym::loadtest
