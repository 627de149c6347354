// One IngestStream call (see ingest_stream_reactor.h).
#include "gym/server/ingest_stream_reactor.h"

#include <string>
#include <utility>

#include "gym/server/ingestion_service.h"
#include "gym/server/status_mapping.h"

namespace gym {

using gym_framework_rpc::StreamAck;
using gym_framework_rpc::StreamBatch;

IngestStreamReactor::IngestStreamReactor(IngestionService& service, IngestionEngine& engine,
                                         grpc::CallbackServerContext* ctx,
                                         const grpc::Status& admission, size_t max_pending)
    : service_(service),
      engine_(engine),
      ctx_(ctx),
      max_pending_(max_pending == 0 ? 1 : max_pending) {
  if (!admission.ok()) {
    finished_ = true;
    Finish(admission);
    return;
  }
  registered_ = true;
  StartRead(&incoming_);
  service_.AddStream(this);
}

void IngestStreamReactor::OnDone() {
  if (registered_) service_.RemoveStream(this);
  Unref();
}

void IngestStreamReactor::Unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

void IngestStreamReactor::RequestStop() {
  grpc::Status status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (!ShouldFinishLocked()) return;
    status = FinalStatusLocked();
  }
  Finish(status);
}

grpc::Status IngestStreamReactor::FinalStatusLocked() const {
  if (!stopping_ || reading_done_) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "server is shutting down: every batch read on this stream was "
                      "acknowledged; reconnect and send the rest");
}

void IngestStreamReactor::OnReadDone(bool ok) {
  if (!ok) {
    bool finish = false;
    grpc::Status status;
    {
      std::lock_guard<std::mutex> lock(mu_);
      reading_done_ = true;
      status = FinalStatusLocked();
      finish = ShouldFinishLocked();
    }
    if (finish) Finish(status);
    return;
  }
  auto ack = std::make_unique<StreamAck>();
  ack->set_sequence(incoming_.sequence());
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Finished by a stop while this batch was arriving: it cannot be acknowledged any more,
    // so it is not stored either; the client sends it again after reconnecting.
    if (finished_) return;
    ++pending_;
  }
  // The engine converts the request before Ingest returns, so incoming_ can be reused by the
  // next read right after Dispatch.
  Dispatch(ack.release());
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return;
  if (pending_ < max_pending_) {
    StartRead(&incoming_);
  } else {
    read_paused_ = true;
  }
}

void IngestStreamReactor::Dispatch(StreamAck* ack) {
  auto done = [this, ack](const absl::Status& status) {
    std::unique_ptr<StreamAck> owned(ack);
    // A batch answered non-OK on a stream counts like a unary call that was.
    if (!status.ok()) {
      service_.options_.metrics->RpcError("IngestStream", absl::StatusCodeToString(status.code()));
    }
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
  grpc::Status status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    acks_.pop_front();
    --pending_;
    if (acks_.empty()) {
      writing_ = false;
    } else {
      StartWrite(acks_.front().get());
    }
    if (read_paused_ && !reading_done_ && !stopping_) {
      read_paused_ = false;
      StartRead(&incoming_);
    }
    status = FinalStatusLocked();
    finish = ShouldFinishLocked();
  }
  if (finish) Finish(status);
}

bool IngestStreamReactor::ShouldFinishLocked() {
  if (finished_ || pending_ > 0 || !(reading_done_ || stopping_)) return false;
  finished_ = true;
  return true;
}

}  // namespace gym
