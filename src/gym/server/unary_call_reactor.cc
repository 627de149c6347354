// One unary call on the generic API (see unary_call_reactor.h).
#include "gym/server/unary_call_reactor.h"

#include <utility>

#include "gym/server/status_mapping.h"

namespace gym {

UnaryCallReactor::UnaryCallReactor(const absl::Status& admission, ReadGate& gate,
                                   MemoryPressure& pressure, std::atomic<int64_t>& active, Run run)
    : gate_(gate), pressure_(pressure), active_(active), run_(std::move(run)) {
  active_.fetch_add(1, std::memory_order_relaxed);
  if (!admission.ok()) {
    Answer(admission);
    return;
  }
  switch (gate_.Enter(this)) {
    case ReadGate::Entry::kRead:
      StartRead(&body_);
      return;
    case ReadGate::Entry::kWait:
      pressure_.Note();
      return;
    case ReadGate::Entry::kRefuse:
      pressure_.Note();
      Answer(absl::ResourceExhaustedError(
          "server busy: every read slot is taken and the line of calls waiting for one is "
          "full; retry with backoff"));
      return;
  }
}

void UnaryCallReactor::OnReadDone(bool ok) {
  gate_.Leave();
  if (!ok) {
    // The client went away, or its body was over --max-message-bytes (gRPC cancels the call).
    // Rare, and the pages of an oversized body may be many: give them back now.
    ReturnFreedMemory();
    Answer(absl::CancelledError("the request body could not be read"));
    return;
  }
  // The body is freed when run_ returns (a refused or parsed request keeps no wire bytes).
  const bool large = static_cast<int64_t>(body_.Length()) >= kLargeRequestBytes;
  MemoryPressure& pressure = pressure_;
  run_(std::move(body_), [this](const absl::Status& status, grpc::ByteBuffer reply) {
    reply_ = std::move(reply);
    Answer(status);
  });
  // `this` may be gone by now; only locals from here.
  if (large) pressure.ReturnIfShort();
}

void UnaryCallReactor::OnCancel() {
  // A call still waiting for a read slot is answered here; one that holds a slot or is being
  // run is answered when that ends (gRPC accepts a Finish after a cancellation).
  if (gate_.Withdraw(this)) Answer(absl::CancelledError("cancelled while waiting to be read"));
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
  active_.fetch_sub(1, std::memory_order_release);
  delete this;
}

}  // namespace gym
