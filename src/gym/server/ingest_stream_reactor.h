// IngestStreamReactor: one IngestStream call (bidi: StreamBatch in, StreamAck out).
//
// Several batches of one stream are in flight at once (at most `max_pending`; reading pauses
// beyond that, which is the stream's backpressure). Each is acknowledged when its commit is
// done, so acks may come out of order; the ack echoes the batch's sequence number. gRPC
// allows one outstanding write per call, so finished acks queue up behind the one being
// written.
//
// Lifetime: the reactor is reference counted: gRPC holds one reference until OnDone, and the
// service takes one while it asks the stream to stop. Finish is called only once every batch
// read has been acknowledged (or its write failed), and either reading has ended (OK) or the
// server is shutting down (UNAVAILABLE: the client reconnects elsewhere and sends the rest),
// so no engine callback can reach a deleted reactor.
#ifndef GYM_SERVER_INGEST_STREAM_REACTOR_H_
#define GYM_SERVER_INGEST_STREAM_REACTOR_H_

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/server/ingestion_engine.h"

namespace gym {

class IngestionService;

class IngestStreamReactor final
    : public grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch,
                                     gym_framework_rpc::StreamAck> {
 public:
  // `admission` not OK: the call is finished at once with it. Otherwise the stream registers
  // with `service` until OnDone.
  IngestStreamReactor(IngestionService& service, IngestionEngine& engine,
                      grpc::CallbackServerContext* ctx, const grpc::Status& admission,
                      size_t max_pending);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

  // Shutdown: read no more; finish with UNAVAILABLE once the batches read are acknowledged.
  void RequestStop();
  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref();

 private:
  void Dispatch(gym_framework_rpc::StreamAck* ack);
  void Acknowledge(std::unique_ptr<gym_framework_rpc::StreamAck> ack);
  // True when the call should be finished now; the caller then calls Finish outside mu_
  // (OnDone may run, and delete this, as soon as Finish is called).
  bool ShouldFinishLocked();

  // The status the call finishes with. REQUIRES: mu_ held.
  grpc::Status FinalStatusLocked() const;

  IngestionService& service_;
  IngestionEngine& engine_;
  grpc::CallbackServerContext* ctx_;
  std::atomic<int> refs_{1};
  bool registered_ = false;
  const size_t max_pending_;
  gym_framework_rpc::StreamBatch incoming_;

  std::mutex mu_;
  std::deque<std::unique_ptr<gym_framework_rpc::StreamAck>> acks_;  // front is being written
  size_t pending_ = 0;  // batches read and not yet through their ack's write
  bool writing_ = false;
  bool read_paused_ = false;
  bool reading_done_ = false;
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_INGEST_STREAM_REACTOR_H_
