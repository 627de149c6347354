// One unary call on the generic API (see unary_call_reactor.h).
#include "gym/server/unary_call_reactor.h"

#include <chrono>
#include <string_view>
#include <utility>

#include "fmt/format.h"

#include "gym/server/status_mapping.h"

namespace gym {

UnaryCallReactor::UnaryCallReactor(const Shared& shared, const absl::Status& admission,
                                   std::string_view method, RoomLine::Clock::time_point deadline,
                                   Run run)
    : shared_(shared), method_(method), run_(std::move(run)) {
  shared_.active.fetch_add(1, std::memory_order_relaxed);
  if (!admission.ok()) {
    Answer(admission);  // counted by the service, which knows whether the method exists
    return;
  }
  switch (shared_.line.Enter(this, deadline)) {
    case RoomLine::Entry::kGo:
      EnterGate();
      return;
    case RoomLine::Entry::kWait:
      shared_.waited();
      return;
    case RoomLine::Entry::kRefuse:
      Refuse(shared_.busy());
      return;
  }
}

void UnaryCallReactor::Admitted() {
  from_line_.store(true, std::memory_order_release);
  EnterGate();
}

void UnaryCallReactor::Expired() {
  const absl::Status busy = shared_.busy();
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(shared_.line.max_wait()).count();
  Refuse(absl::Status(busy.code(),
                      fmt::format("{} (no room came within --admission-wait-ms {} or the "
                                  "call's deadline)",
                                  std::string(busy.message()), waited)));
}

void UnaryCallReactor::EnterGate() {
  switch (shared_.gate.Enter(this)) {
    case ReadGate::Entry::kRead:
      StartRead(&body_);
      return;
    case ReadGate::Entry::kWait:
      shared_.pressure.Note();
      return;
    case ReadGate::Entry::kRefuse:
      shared_.pressure.Note();
      SettleLine();
      Refuse(absl::ResourceExhaustedError(
          "server busy: every read slot is taken and the line of calls waiting for one is "
          "full; retry with backoff"));
      return;
  }
}

void UnaryCallReactor::SettleLine() {
  if (from_line_.exchange(false, std::memory_order_acq_rel)) shared_.line.Settled();
}

void UnaryCallReactor::OnReadDone(bool ok) {
  shared_.gate.Leave();
  if (!ok) {
    // The client went away, or its body was over --max-message-bytes (gRPC cancels the call).
    // Rare, and the pages of an oversized body may be many: give them back now.
    SettleLine();
    ReturnFreedMemory();
    Answer(absl::CancelledError("the request body could not be read"));
    return;
  }
  // The body is freed when run_ returns (a refused or parsed request keeps no wire bytes).
  const bool large = static_cast<int64_t>(body_.Length()) >= kLargeRequestBytes;
  MemoryPressure& pressure = shared_.pressure;
  // run_ reserves the batch's events (or refuses it) before it returns: only then may the line
  // let the next waiter in on room it found unused.
  RoomLine* settle = from_line_.exchange(false, std::memory_order_acq_rel) ? &shared_.line
                                                                           : nullptr;
  run_(std::move(body_), [this](const absl::Status& status, grpc::ByteBuffer reply) {
    reply_ = std::move(reply);
    Answer(status);
  });
  // `this` may be gone by now; only locals from here.
  if (settle != nullptr) settle->Settled();
  if (large) pressure.ReturnIfShort();
}

void UnaryCallReactor::OnCancel() {
  // A call still waiting for room or for a read slot is answered here; one that is reading or
  // being run is answered when that ends (gRPC accepts a Finish after a cancellation).
  if (shared_.line.Withdraw(this)) {
    Answer(absl::CancelledError("cancelled while waiting for room"));
  } else if (shared_.gate.Withdraw(this)) {
    SettleLine();
    Answer(absl::CancelledError("cancelled while waiting to be read"));
  }
}

void UnaryCallReactor::Refuse(const absl::Status& status) {
  shared_.count_error(method_, status);
  Answer(status);
}

void UnaryCallReactor::Answer(const absl::Status& status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    finished_ = true;
  }
  if (status.ok()) {
    StartWriteAndFinish(&reply_, grpc::WriteOptions(), grpc::Status::OK);
  } else {
    Finish(ToGrpcStatus(status));
  }
}

void UnaryCallReactor::OnDone() {
  shared_.active.fetch_sub(1, std::memory_order_release);
  delete this;
}

}  // namespace gym
