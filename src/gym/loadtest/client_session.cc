// One simulated client: asynchronous sends, per-batch log lines, counters (see
// client_session.h).
#include "gym/loadtest/client_session.h"

#include <cstring>
#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "gym/loadtest/log_line.h"
#include "gym/loadtest/stream_channel.h"
#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::loadtest {
namespace {

namespace rpc = ::gym_framework_rpc;

template <typename Message>
bool Parse(grpc::ByteBuffer& buffer, Message& message) {
  return grpc::SerializationTraits<Message>::Deserialize(&buffer, &message).ok();
}

// The fields of a BatchIngestionResponse the simulator counts. Read straight off the wire,
// skipping the per-item event ids: in closed mode the client parses thousands of responses a
// second on the same two cores as the server it measures.
struct BatchAck {
  bool success = false;
  int32_t processed = 0;
  int32_t rejected = 0;
  float server_seconds = 0;
};

bool ParseBatchAck(grpc::ByteBuffer& buffer, BatchAck& ack) {
  grpc::Slice slice;
  if (!buffer.TrySingleSlice(&slice).ok() && !buffer.DumpToSingleSlice(&slice).ok()) return false;
  namespace wire = google::protobuf::internal;
  google::protobuf::io::CodedInputStream in(slice.begin(), static_cast<int>(slice.size()));
  while (const uint32_t tag = in.ReadTag()) {
    uint32_t varint = 0;
    uint32_t fixed = 0;
    switch (tag) {
      case wire::WireFormatLite::MakeTag(1, wire::WireFormatLite::WIRETYPE_VARINT):
        if (!in.ReadVarint32(&varint)) return false;
        ack.success = varint != 0;
        break;
      case wire::WireFormatLite::MakeTag(5, wire::WireFormatLite::WIRETYPE_VARINT):
        if (!in.ReadVarint32(&varint)) return false;
        ack.processed = static_cast<int32_t>(varint);
        break;
      case wire::WireFormatLite::MakeTag(6, wire::WireFormatLite::WIRETYPE_FIXED32):
        if (!in.ReadLittleEndian32(&fixed)) return false;
        std::memcpy(&ack.server_seconds, &fixed, sizeof fixed);
        break;
      case wire::WireFormatLite::MakeTag(17, wire::WireFormatLite::WIRETYPE_VARINT):
        if (!in.ReadVarint32(&varint)) return false;
        ack.rejected = static_cast<int32_t>(varint);
        break;
      default:
        if (!wire::WireFormatLite::SkipField(&in, tag)) return false;
    }
  }
  return in.ConsumedEntireMessage();
}

}  // namespace

ClientSession::ClientSession(int index, std::shared_ptr<grpc::Channel> channel,
                             ClientRequests requests, const SessionConfig& config, Pacer& timer,
                             std::FILE* log, DoneCallback on_done)
    : index_(index),
      channel_(std::move(channel)),
      stub_(channel_),
      requests_(std::move(requests)),
      config_(config),
      timer_(timer),
      on_done_(std::move(on_done)),
      jitter_(config.jitter_seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(index) + 1),
      log_(log) {
  totals_.round_trips.reserve(requests_.size());
  Prebuild();
}

void ClientSession::Prebuild() {
  int64_t bytes = 0;
  for (size_t k = 0; k < requests_.size(); ++k) {
    PreparedBatch batch = requests_.Build(k);
    for (const grpc::ByteBuffer& p : batch.payloads) bytes += static_cast<int64_t>(p.Length());
    if (k > 0 && bytes > config_.prebuild_bytes) break;
    ahead_.push_back(std::move(batch));
  }
  prebuilt_ = ahead_.size();
}

ClientSession::~ClientSession() {
  Shutdown();
  if (log_ != nullptr) std::fclose(log_);
}

bool ClientSession::HasNext() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_ < requests_.size();
}

std::unique_ptr<grpc::ClientContext> ClientSession::NewContext(bool per_call_deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (per_call_deadline) context->set_deadline(std::chrono::system_clock::now() + config_.deadline);
  if (!config_.authorization.empty()) context->AddMetadata("authorization", config_.authorization);
  return context;
}

void ClientSession::SendNext(Clock::time_point scheduled) {
  auto* call = new Call;
  size_t k = 0;
  std::optional<PreparedBatch> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    k = next_++;
    if (!ahead_.empty() && ahead_.front().sequence == k) {
      ready = std::move(ahead_.front());
      ahead_.pop_front();
    } else {
      ahead_.clear();  // built for a turn that another send took (open loop)
    }
    const BatchSpec& spec = requests_.spec(k);
    TypeTotals& t = totals_.by_type[static_cast<size_t>(spec.type)];
    ++t.batches;
    t.sent += spec.items;
    calls_.insert(call);
  }
  call->batch = ready ? *std::move(ready) : requests_.Build(k);
  call->scheduled = scheduled;
  Start(call);
}

void ClientSession::BuildAhead() {
  size_t k = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    k = next_;
    if (stopping_ || k >= requests_.size() || !ahead_.empty()) return;
  }
  // Built unlocked; kept only if batch k has not been taken meanwhile (open loop: another
  // batch may be sent, and build its own, before this one is done).
  PreparedBatch batch = requests_.Build(k);
  std::lock_guard<std::mutex> lock(mu_);
  if (next_ == k && ahead_.empty()) ahead_.push_back(std::move(batch));
}

void ClientSession::Start(Call* call) {
  if (config_.rpc == RpcKind::kStream) {
    SendOnStream(call);
  } else {
    StartUnary(call);
  }
}

void ClientSession::StartUnary(Call* call) {
  std::shared_ptr<grpc::ClientContext> context = NewContext(/*per_call_deadline=*/true);
  bool stopped = false;
  {
    // Registered under the lock, so CancelAll either sees this attempt or stops it here.
    std::lock_guard<std::mutex> lock(mu_);
    stopped = stopping_;
    if (!stopped) call->context = context;
  }
  if (stopped) {
    Finish(call, grpc::StatusCode::CANCELLED, "load test stopped");
    return;
  }
  call->response.Clear();
  stub_.UnaryCall(context.get(), MethodFor(config_.rpc, call->batch.spec.type), grpc::StubOptions(),
                  &call->batch.payloads[call->item], &call->response,
                  [this, call](grpc::Status status) { OnUnaryDone(call, status); });
}

void ClientSession::Complete(Call* call, int rpc_code, const std::string& rpc_message) {
  if (rpc_code == 0 || !IsRetryable(rpc_code) || call->rpc_retries >= config_.backoff.retries) {
    Finish(call, rpc_code, rpc_message);
    return;
  }
  std::chrono::nanoseconds wait{0};
  bool resend = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      ++call->retries;
      ++call->rpc_retries;
      ++totals_.retries;
      ++totals_.retries_by_code[rpc_code];
      wait = config_.backoff.Delay(call->rpc_retries, jitter_);
      resend = true;
    }
  }
  if (!resend) {
    Finish(call, rpc_code, rpc_message);
    return;
  }
  call->answered = {};
  timer_.At(Clock::now() + std::chrono::duration_cast<Clock::duration>(wait),
            [this, call] { Start(call); });
}

void ClientSession::OnUnaryDone(Call* call, const grpc::Status& status) {
  call->answered = Clock::now();
  if (!status.ok()) {
    Complete(call, status.error_code(), status.error_message());
    return;
  }
  if (config_.rpc == RpcKind::kBatch) {
    BatchAck r;
    if (!ParseBatchAck(call->response, r)) {
      Finish(call, grpc::StatusCode::INTERNAL, "unparsable BatchIngestionResponse");
      return;
    }
    call->acked = r.processed;
    call->rejected = r.rejected;
    call->success = r.success;
    call->server_seconds = r.server_seconds;
    Finish(call, 0, {});
    return;
  }
  // One call per item: the batch goes on with the next item until all are answered.
  rpc::IngestionResponse r;
  if (!Parse(call->response, r)) {
    Finish(call, grpc::StatusCode::INTERNAL, "unparsable IngestionResponse");
    return;
  }
  if (r.success()) {
    ++call->acked;
  } else {
    ++call->rejected;
    call->success = false;
  }
  if (++call->item < call->batch.payloads.size()) {
    call->rpc_retries = 0;
    StartUnary(call);
  } else {
    Finish(call, 0, {});
  }
}

void ClientSession::SendOnStream(Call* call) {
  std::shared_ptr<StreamChannel> stream;
  bool stopped = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      stopped = true;
    } else if (!streams_.empty() && !streams_.back()->done()) {
      stream = streams_.back();
    } else {
      ++streams_started_;
    }
  }
  if (stopped) {
    Finish(call, grpc::StatusCode::CANCELLED, "load test stopped");
    return;
  }
  if (stream == nullptr) {
    // Started unlocked: a reaction may run inline and take mu_. The stream lives as long as the
    // run, so only the watchdog bounds each batch.
    stream = StreamChannel::Start(*this, stub_, NewContext(/*per_call_deadline=*/false));
    std::lock_guard<std::mutex> lock(mu_);
    streams_.push_back(stream);
  }
  if (!stream->Send(call)) {
    Complete(call, grpc::StatusCode::UNAVAILABLE, "stream ended before the batch was written");
  }
}

void ClientSession::CancelStaleStream(Clock::time_point now) {
  std::vector<std::shared_ptr<StreamChannel>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams = streams_;
  }
  for (const auto& s : streams) {
    if (!s->done()) s->CancelIfOlderThan(now - config_.deadline);
  }
}

void ClientSession::CancelAll() {
  std::vector<std::shared_ptr<grpc::ClientContext>> contexts;
  std::vector<std::shared_ptr<StreamChannel>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (Call* call : calls_) {
      if (call->context != nullptr) contexts.push_back(call->context);
    }
    streams = streams_;
  }
  // Unlocked: a cancelled call may finish inline, and Finish takes mu_. The copies keep each
  // context alive even if its call finishes meanwhile.
  for (const auto& context : contexts) context->TryCancel();
  for (const auto& s : streams) s->Cancel();
}

void ClientSession::OnStreamGone() {
  std::lock_guard<std::mutex> lock(mu_);
  ++streams_gone_;
  stream_gone_.notify_all();
}

void ClientSession::Shutdown() {
  std::vector<std::shared_ptr<StreamChannel>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams = streams_;
  }
  for (const auto& s : streams) s->CloseWhenIdle();
  std::unique_lock<std::mutex> lock(mu_);
  stream_gone_.wait(lock, [this] { return streams_gone_ == streams_started_; });
  streams_.clear();
}

void ClientSession::Finish(Call* call, int rpc_code, const std::string& rpc_message) {
  const Clock::time_point end =
      call->answered == Clock::time_point{} ? Clock::now() : call->answered;
  const double round_trip = std::chrono::duration<double>(end - call->scheduled).count();
  const BatchSpec& spec = call->batch.spec;
  BatchLogRecord record;
  record.type = spec.type;
  record.batch_id = call->batch.batch_id;
  record.items = spec.items;
  record.success = rpc_code == 0 && call->success;
  record.acked = call->acked;
  record.server_seconds = call->server_seconds;
  record.round_trip_seconds = round_trip;
  record.rpc_code = rpc_code;
  record.rpc_message = rpc_message;
  record.retries = call->retries;
  std::string line = FormatBatchLogLine(record);
  line.push_back('\n');
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::fputs(line.c_str(), log_);
    calls_.erase(call);
    if (rpc_code == 0) {
      TypeTotals& t = totals_.by_type[static_cast<size_t>(spec.type)];
      t.acked += call->acked;
      t.rejected += call->rejected;
      ++totals_.batches_answered;
      totals_.round_trips.push_back(round_trip);
    } else {
      ++totals_.rpc_errors;
      ++totals_.errors_by_code[rpc_code];
    }
  }
  delete call;
  // The next batch is built now, between this answer and the next send (or during the paced
  // pause), rather than while a batch is in flight, where it would compete with the server for
  // the CPU and lengthen the round trip being measured.
  BuildAhead();
  on_done_(*this);
}

SessionTotals ClientSession::TakeTotals() {
  std::lock_guard<std::mutex> lock(mu_);
  std::fflush(log_);
  return std::move(totals_);
}

}  // namespace gym::loadtest
