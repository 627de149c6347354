// RoomLine: calls that arrive while --max-inflight events are in flight wait here, unread, for
// room, instead of being refused at once.
//
// A refused call is not free: the client resends it after a backoff, and each refusal costs
// both sides a round trip of CPU on a machine the admitted batches already saturate. Worse, the
// backoff leaves the server with only the admitted few calls at a time, and gRPC's threads and
// the group commit work best with many: 10 admitted batches out of 50 clients committed 0.7-0.8
// of the events/s of no limit. So, as a broker that throttles by delaying its answer rather
// than by refusing, a call that finds no room waits in line (its body unread, under HTTP/2
// flow control) for up to --admission-wait, never past its own deadline. Each batch answered
// lets the first waiter in; a waiter whose wait runs out is refused (RESOURCE_EXHAUSTED) as
// before, and so is a call that finds the line full.
//
//   switch (line.Enter(this, deadline)) {  // this: a RoomLine::Waiter
//     case RoomLine::Entry::kGo: ...read the body...; break;
//     case RoomLine::Entry::kWait: break;    // Admitted() or Expired() is called later
//     case RoomLine::Entry::kRefuse: ...RESOURCE_EXHAUSTED...; break;
//   }
//   ... once the admitted call has tried to reserve its events (or failed before): line.Settled()
//   ... the engine, whenever a batch releases its events: line.RoomFreed()
#ifndef GYM_SERVER_ROOM_LINE_H_
#define GYM_SERVER_ROOM_LINE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gym {

class RoomLine final {
 public:
  using Clock = std::chrono::steady_clock;

  class Waiter {
   public:
    virtual ~Waiter() = default;
    // There may be room now: read the body and try. Called on another call's thread, or on the
    // line's own; never with the line's lock held. The call must then call Settled().
    virtual void Admitted() = 0;
    // The wait ran out (or the line is shutting down): refuse the call.
    virtual void Expired() = 0;
  };
  enum class Entry { kGo, kWait, kRefuse };

  // `has_room(pending)`: whether one more batch could be admitted now, after `pending` calls
  // already let in and not yet settled (cheap, thread-safe; called under the line's lock).
  // `max_wait` 0: no line, a call without room is refused at once. `max_waiting`: the longest
  // line.
  RoomLine(std::function<bool(int64_t pending)> has_room, std::chrono::nanoseconds max_wait,
           size_t max_waiting);
  ~RoomLine();  // every waiter still in line is Expired()
  RoomLine(const RoomLine&) = delete;
  RoomLine& operator=(const RoomLine&) = delete;

  // kGo when there is room and nobody is waiting for it; kWait when the call joined the line
  // (it waits until min(now + max_wait, `deadline`)); kRefuse otherwise.
  Entry Enter(Waiter* waiter, Clock::time_point deadline);
  // A call let in by Admitted() has reserved its events, or will not.
  void Settled();
  // A batch was answered and released its events: the first waiter comes in if it has room.
  void RoomFreed();
  // Takes a waiting call out of line (its client cancelled). False when it was not waiting.
  bool Withdraw(Waiter* waiter);

  size_t waiting() const;
  std::chrono::nanoseconds max_wait() const { return max_wait_; }

 private:
  struct Place {
    Waiter* waiter;
    Clock::time_point until;
  };
  // Pops the first waiter under the lock when there is room for it (else nullptr) and counts
  // it as let in.
  Waiter* NextLocked();
  // The line's own thread: expires waits that ran out, and lets a waiter in when there is room
  // that no answered batch handed over (a call let in that then failed before it reserved
  // anything, room that grew while nobody was answered).
  void Watch();

  const std::function<bool(int64_t)> has_room_;
  const std::chrono::nanoseconds max_wait_;
  const size_t max_waiting_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Place> line_;
  int64_t unsettled_ = 0;  // let in, not yet Settled()
  // line_.size() + unsettled_, readable without the lock: while it is 0 (a server with room,
  // nearly always) a call goes in and an answer hands nothing over without taking mu_.
  std::atomic<int64_t> busy_{0};
  bool stopping_ = false;
  std::thread watcher_;  // last: started once the rest exists
};

}  // namespace gym

#endif  // GYM_SERVER_ROOM_LINE_H_
