// Retrying test clients (see retrying_load.h).
#include "gym/testing/retrying_load.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"

namespace gym::testing {

namespace rpc = gym_framework_rpc;

struct RetryingLoad::Client {
  int index = 0;
  int next_batch = 0;
  bool pending = false;  // batch `next_batch` was sent and not acknowledged
  std::unique_ptr<rpc::EventIngestionService::Stub> stub;
  std::unique_ptr<grpc::ClientContext> stream_ctx;
  std::unique_ptr<grpc::ClientReaderWriter<rpc::StreamBatch, rpc::StreamAck>> stream;

  void CloseStream() {
    if (stream != nullptr) {
      stream->WritesDone();
      stream->Finish().IgnoreError();
    }
    stream.reset();
    stream_ctx.reset();
  }
};

namespace {

std::string BatchIdOf(const std::string& prefix, int client, int batch) {
  std::string id = prefix;
  id += std::to_string(client);
  id += "-b";
  id += std::to_string(batch);
  return id;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace

RetryingLoad::RetryingLoad(std::string prefix, LoadOptions options)
    : prefix_(std::move(prefix)), options_(options) {
  for (int c = 0; c < options_.clients; ++c) {
    clients_.push_back(std::make_unique<Client>());
    clients_.back()->index = c;
  }
}

RetryingLoad::~RetryingLoad() { Stop(); }

rpc::IngestTransactionsRequest RetryingLoad::Request(const std::string& batch_id) const {
  rpc::IngestTransactionsRequest r;
  r.set_batch_id(batch_id);
  for (int i = 0; i < options_.batch_size; ++i) {
    auto* t = r.add_transactions();
    t->set_id(i + 1);
    t->set_cliente_id(i % 7 + 1);
    t->set_data("2026-11-25");
    t->set_valor(10.0 + i);
    t->set_moeda("BRL");
  }
  return r;
}

void RetryingLoad::Record(const rpc::IngestTransactionsRequest& request, bool sent_ok,
                          const std::string& failure, bool success) {
  std::lock_guard<std::mutex> lock(mu_);
  // Event ids are derived by the server as <batch_id>:<index>.
  for (int i = 0; i < request.transactions_size(); ++i) {
    ledger_.sent.insert(request.batch_id() + ":" + std::to_string(i));
  }
  if (!sent_ok) {
    ++ledger_.failures[failure];
    return;
  }
  if (!success) {
    ++ledger_.acked_not_success;
    return;
  }
  for (int i = 0; i < request.transactions_size(); ++i) {
    ledger_.acked.insert(request.batch_id() + ":" + std::to_string(i));
  }
  ledger_.acked_batches.push_back(request.batch_id());
  ++acked_batches_;
}

bool RetryingLoad::SendOnce(Client& client, const std::string& target) {
  if (client.stub == nullptr) {
    grpc::ChannelArguments args;
    if (options_.round_robin) {
      args.SetServiceConfigJSON(R"({"loadBalancingConfig": [{"round_robin": {}}]})");
    }
    client.stub = rpc::EventIngestionService::NewStub(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  }
  const rpc::IngestTransactionsRequest request =
      Request(BatchIdOf(prefix_, client.index, client.next_batch));
  client.pending = true;
  if (!options_.stream) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    rpc::BatchIngestionResponse response;
    const grpc::Status s = client.stub->IngestTransactions(&ctx, request, &response);
    Record(request, s.ok(), CodeName(s.error_code()), response.success());
    return s.ok() && response.success();
  }
  if (client.stream == nullptr) {
    client.stream_ctx = std::make_unique<grpc::ClientContext>();
    client.stream = client.stub->IngestStream(client.stream_ctx.get());
  }
  rpc::StreamBatch batch;
  batch.set_sequence(static_cast<uint64_t>(client.next_batch));
  *batch.mutable_transactions() = request;
  rpc::StreamAck ack;
  if (!client.stream->Write(batch) || !client.stream->Read(&ack)) {
    const grpc::Status s = client.stream->Finish();
    client.stream.reset();
    client.stream_ctx.reset();
    Record(request, false, CodeName(s.ok() ? grpc::StatusCode::UNKNOWN : s.error_code()), false);
    return false;
  }
  const bool ok = ack.grpc_code() == 0;
  Record(request, ok, CodeName(static_cast<grpc::StatusCode>(ack.grpc_code())),
         ack.response().success());
  return ok && ack.response().success();
}

void RetryingLoad::Run(Client& client, const std::string& target, bool only_pending) {
  while (!stop_.load()) {
    if (only_pending && !client.pending) break;
    if (SendOnce(client, target)) {
      client.pending = false;
      ++client.next_batch;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  client.CloseStream();
  client.stub.reset();
}

void RetryingLoad::Start(const std::string& target) {
  stop_ = false;
  for (auto& client : clients_) {
    threads_.emplace_back([this, &client, target] { Run(*client, target, false); });
  }
}

void RetryingLoad::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

int RetryingLoad::Finish(const std::string& target, int attempts) {
  Stop();
  stop_ = false;
  int left = 0;
  for (auto& client : clients_) {
    for (int a = 0; a < attempts && client->pending; ++a) {
      if (SendOnce(*client, target)) {
        client->pending = false;
        ++client->next_batch;
      } else {
        // As Run does: a server that answers UNAVAILABLE at once (a replica waiting out its
        // reconnect backoff) would otherwise use up the attempts in a few milliseconds.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    client->CloseStream();
    client->stub.reset();
    left += client->pending ? 1 : 0;
  }
  return left;
}

Ledger RetryingLoad::ledger() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ledger_;
}

}  // namespace gym::testing
