// StreamChannel: the IngestStream bidi stream of one ClientSession (`--rpc stream`). Writes
// are queued (gRPC allows one outstanding write per stream) and acks are matched to their
// batch by sequence number, so several batches may be in flight on one stream.
//
// No lock is held while calling into gRPC (a reaction may run inline on the calling thread),
// and the object keeps itself alive until OnDone returns, so the session may drop its
// reference at any time.
#ifndef GYM_LOADTEST_STREAM_CHANNEL_H_
#define GYM_LOADTEST_STREAM_CHANNEL_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/client_callback.h"
#include "gym/loadtest/client_session.h"

namespace gym::loadtest {

class StreamChannel final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // Starts a stream on `stub`; `session` is told of answers and of the stream's end.
  static std::shared_ptr<StreamChannel> Start(ClientSession& session, grpc::GenericStub& stub,
                                              std::unique_ptr<grpc::ClientContext> context);

  // False when the stream has already ended (the call was not taken).
  bool Send(ClientSession::Call* call);
  // Half-closes the stream once every queued write is out.
  void CloseWhenIdle();
  void CancelIfOlderThan(Clock::time_point limit);
  void Cancel();
  bool done() const { return done_.load(); }

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  StreamChannel(ClientSession& session, std::unique_ptr<grpc::ClientContext> context)
      : session_(session), context_(std::move(context)) {}
  // Returns the payload to write next and marks a write outstanding; nullptr when nothing is
  // to be written now. Also half-closes when asked to and idle (sets `writes_done`).
  const grpc::ByteBuffer* NextWriteLocked(bool& writes_done);

  ClientSession& session_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::shared_ptr<StreamChannel> self_;  // released at the end of OnDone
  grpc::ByteBuffer read_buffer_;
  std::atomic<bool> done_{false};

  std::mutex mu_;
  std::deque<ClientSession::Call*> writes_;  // front: being written when writing_
  bool writing_ = false;
  bool close_requested_ = false;
  bool closed_ = false;
  bool ended_ = false;                                  // OnDone has begun: no more sends
  std::map<uint64_t, ClientSession::Call*> in_flight_;  // by sequence; oldest first
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_STREAM_CHANNEL_H_
