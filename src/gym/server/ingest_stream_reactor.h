// IngestStreamReactor: one IngestStream call (bidi: StreamBatch in, StreamAck out).
//
// Several batches of one stream are in flight at once (at most `max_pending`; reading pauses
// beyond that, which is the stream's backpressure). Each is acknowledged when its commit is
// done, so acks may come out of order; the ack echoes the batch's sequence number. gRPC
// allows one outstanding write per call, so finished acks queue up behind the one being
// written.
//
// Lifetime: the reactor deletes itself in OnDone. Finish is called only once reading has
// ended and every batch has been acknowledged (or its write failed), so no engine callback
// can reach a deleted reactor.
#ifndef GYM_SERVER_INGEST_STREAM_REACTOR_H_
#define GYM_SERVER_INGEST_STREAM_REACTOR_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/server/ingestion_engine.h"

namespace gym {

class IngestStreamReactor final
    : public grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch,
                                     gym_framework_rpc::StreamAck> {
 public:
  // `admission` not OK: the call is finished at once with it.
  IngestStreamReactor(IngestionEngine& engine, grpc::CallbackServerContext* ctx,
                      const grpc::Status& admission, size_t max_pending);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  void Dispatch(gym_framework_rpc::StreamAck* ack);
  void Acknowledge(std::unique_ptr<gym_framework_rpc::StreamAck> ack);
  // True when the call should be finished now; the caller then calls Finish outside mu_
  // (OnDone may run, and delete this, as soon as Finish is called).
  bool ShouldFinishLocked();

  IngestionEngine& engine_;
  grpc::CallbackServerContext* ctx_;
  const size_t max_pending_;
  gym_framework_rpc::StreamBatch incoming_;

  std::mutex mu_;
  std::deque<std::unique_ptr<gym_framework_rpc::StreamAck>> acks_;  // front is being written
  size_t pending_ = 0;  // batches read and not yet through their ack's write
  bool writing_ = false;
  bool read_paused_ = false;
  bool reading_done_ = false;
  bool finished_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_INGEST_STREAM_REACTOR_H_
