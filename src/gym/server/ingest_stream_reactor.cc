// One IngestStream call (see ingest_stream_reactor.h).
#include "gym/server/ingest_stream_reactor.h"

#include <string>
#include <utility>

#include "gym/server/status_mapping.h"

namespace gym {

using gym_framework_rpc::StreamAck;
using gym_framework_rpc::StreamBatch;

IngestStreamReactor::IngestStreamReactor(IngestionEngine& engine,
                                         grpc::CallbackServerContext* ctx,
                                         const grpc::Status& admission, size_t max_pending)
    : engine_(engine), ctx_(ctx), max_pending_(max_pending == 0 ? 1 : max_pending) {
  if (!admission.ok()) {
    finished_ = true;
    Finish(admission);
    return;
  }
  StartRead(&incoming_);
}

void IngestStreamReactor::OnReadDone(bool ok) {
  if (!ok) {
    bool finish = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      reading_done_ = true;
      finish = ShouldFinishLocked();
    }
    if (finish) Finish(grpc::Status::OK);
    return;
  }
  auto ack = std::make_unique<StreamAck>();
  ack->set_sequence(incoming_.sequence());
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++pending_;
  }
  // The engine converts the request before Ingest returns, so incoming_ can be reused by the
  // next read right after Dispatch.
  Dispatch(ack.release());
  std::lock_guard<std::mutex> lock(mu_);
  if (pending_ < max_pending_) {
    StartRead(&incoming_);
  } else {
    read_paused_ = true;
  }
}

void IngestStreamReactor::Dispatch(StreamAck* ack) {
  auto done = [this, ack](const absl::Status& status) {
    std::unique_ptr<StreamAck> owned(ack);
    owned->set_grpc_code(static_cast<int32_t>(status.code()));
    if (!status.ok()) owned->mutable_response()->set_message(std::string(status.message()));
    Acknowledge(std::move(owned));
  };
  const SystemTime deadline = ctx_->deadline();
  switch (incoming_.batch_case()) {
    case StreamBatch::kClients:
      engine_.Ingest(incoming_.clients(), deadline, ack->mutable_response(), std::move(done));
      return;
    case StreamBatch::kTransactions:
      engine_.Ingest(incoming_.transactions(), deadline, ack->mutable_response(),
                     std::move(done));
      return;
    case StreamBatch::kScores:
      engine_.Ingest(incoming_.scores(), deadline, ack->mutable_response(), std::move(done));
      return;
    case StreamBatch::BATCH_NOT_SET:
      break;
  }
  done(absl::InvalidArgumentError("StreamBatch carries no batch (set clients, transactions or "
                                  "scores)"));
}

void IngestStreamReactor::Acknowledge(std::unique_ptr<StreamAck> ack) {
  std::lock_guard<std::mutex> lock(mu_);
  acks_.push_back(std::move(ack));
  if (!writing_) {
    writing_ = true;
    StartWrite(acks_.front().get());
  }
}

void IngestStreamReactor::OnWriteDone(bool /*ok*/) {
  // A failed write means the client is gone; the ack is dropped and the stream winds down
  // through the failing read.
  bool finish = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    acks_.pop_front();
    --pending_;
    if (acks_.empty()) {
      writing_ = false;
    } else {
      StartWrite(acks_.front().get());
    }
    if (read_paused_ && !reading_done_) {
      read_paused_ = false;
      StartRead(&incoming_);
    }
    finish = ShouldFinishLocked();
  }
  if (finish) Finish(grpc::Status::OK);
}

bool IngestStreamReactor::ShouldFinishLocked() {
  if (finished_ || !reading_done_ || pending_ > 0) return false;
  finished_ = true;
  return true;
}

}  // namespace gym
