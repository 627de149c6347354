// The bidi stream of one simulated client (see stream_channel.h).
#include "gym/loadtest/stream_channel.h"

#include <vector>

#include "grpcpp/impl/codegen/proto_utils.h"
#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::loadtest {

std::shared_ptr<StreamChannel> StreamChannel::Start(ClientSession& session, grpc::GenericStub& stub,
                                                    std::unique_ptr<grpc::ClientContext> context) {
  std::shared_ptr<StreamChannel> stream(new StreamChannel(session, std::move(context)));
  stream->self_ = stream;
  stub.PrepareBidiStreamingCall(stream->context_.get(),
                                MethodFor(RpcKind::kStream, BatchType::kClients),
                                grpc::StubOptions(), stream.get());
  stream->StartRead(&stream->read_buffer_);
  stream->StartCall();
  return stream;
}

const grpc::ByteBuffer* StreamChannel::NextWriteLocked(bool& writes_done) {
  writes_done = false;
  if (writing_ || ended_) return nullptr;
  if (!writes_.empty()) {
    writing_ = true;
    return &writes_.front()->batch.payloads.front();
  }
  if (close_requested_ && !closed_) {
    closed_ = true;
    writes_done = true;
  }
  return nullptr;
}

bool StreamChannel::Send(ClientSession::Call* call) {
  const grpc::ByteBuffer* next = nullptr;
  bool writes_done = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ended_ || closed_) return false;
    in_flight_[call->batch.sequence] = call;
    writes_.push_back(call);
    next = NextWriteLocked(writes_done);
  }
  if (next != nullptr) StartWrite(next);
  return true;
}

void StreamChannel::CloseWhenIdle() {
  bool writes_done = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    close_requested_ = true;
    NextWriteLocked(writes_done);
  }
  if (writes_done) StartWritesDone();
}

void StreamChannel::CancelIfOlderThan(Clock::time_point limit) {
  bool stale = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stale = !in_flight_.empty() && in_flight_.begin()->second->scheduled < limit;
  }
  if (stale) context_->TryCancel();
}

void StreamChannel::Cancel() { context_->TryCancel(); }

void StreamChannel::OnWriteDone(bool ok) {
  const grpc::ByteBuffer* next = nullptr;
  bool writes_done = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    writes_.pop_front();
    writing_ = false;
    // A failed write means the stream is broken; OnDone will fail what is in flight.
    if (!ok) return;
    next = NextWriteLocked(writes_done);
  }
  if (next != nullptr) StartWrite(next);
  if (writes_done) StartWritesDone();
}

void StreamChannel::OnReadDone(bool ok) {
  if (!ok) return;  // the server closed its side; OnDone follows
  const Clock::time_point answered = Clock::now();
  gym_framework_rpc::StreamAck ack;
  const bool parsed =
      grpc::SerializationTraits<gym_framework_rpc::StreamAck>::Deserialize(&read_buffer_, &ack)
          .ok();
  ClientSession::Call* call = nullptr;
  if (parsed) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = in_flight_.find(ack.sequence());
    if (it != in_flight_.end()) {
      call = it->second;
      in_flight_.erase(it);
    }
  }
  StartRead(&read_buffer_);
  if (call == nullptr) return;  // an ack we did not ask for (or garbage): nothing to settle
  const gym_framework_rpc::BatchIngestionResponse& r = ack.response();
  call->acked = r.items_processed_successfully();
  call->rejected = r.items_rejected();
  call->success = r.success();
  call->server_seconds = r.processing_duration_seconds();
  call->answered = answered;
  session_.Complete(call, ack.grpc_code(), ack.grpc_code() == 0 ? std::string() : r.message());
}

void StreamChannel::OnDone(const grpc::Status& status) {
  std::vector<ClientSession::Call*> orphans;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
    for (auto& [sequence, call] : in_flight_) orphans.push_back(call);
    in_flight_.clear();
  }
  // Marked done first, so that a batch sent from an orphan's completion opens a new stream.
  done_ = true;
  // A stream that ended cleanly with batches unanswered still lost them: report UNAVAILABLE.
  const int code = status.ok() ? grpc::StatusCode::UNAVAILABLE : status.error_code();
  const std::string message =
      status.ok() ? std::string("stream closed before the ack") : status.error_message();
  for (ClientSession::Call* call : orphans) session_.Complete(call, code, message);
  session_.OnStreamGone();
  std::shared_ptr<StreamChannel> keep_alive_until_return = std::move(self_);
}

}  // namespace gym::loadtest
