// Quickstart: write your own handlers and wire them into a pipeline.
//
//                    ┌──> clean (2 chunks) ──┐
//   generate ────────┤                       ├──> summary      (fan-in: runs once per arrival)
//                    └──> flag_large ────────┘
//
// `generate` fans out its frame to two branches; `clean` splits each frame into two slices
// handled in parallel and joined back in order; `summary` receives a message from each branch
// and prints a small group-by. Every submitted frame carries a CompletionToken that resolves
// once both branches are done with it.
#include <cctype>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/pipeline/pipeline.h"

namespace {

// A source of in-memory data: `rows` payments with a value and a currency.
gym::Frame GeneratePayments(int64_t first_id, int64_t rows) {
  static const char* kCurrencies[] = {" brl", "usd ", " eur "};
  std::vector<gym::Record> records;
  for (int64_t i = 0; i < rows; ++i) {
    int64_t id = first_id + i;
    records.push_back({{"id", id},
                       {"valor", static_cast<double>((id * 7919) % 5000) + 0.5},
                       {"moeda", std::string(kCurrencies[id % 3])}});
  }
  return gym::Frame::FromRecords(records);
}

// A handler is a class with Handle(Frame) -> absl::StatusOr<Frame>: the output frame, or a
// status saying why there is none (which fails only that message, keeping its code). This one
// trims and upper-cases currencies.
class CleanCurrency final : public gym::Handler {
 public:
  absl::StatusOr<gym::Frame> Handle(gym::Frame input) override {
    if (!input.HasColumn("moeda")) return absl::InvalidArgumentError("clean: no column 'moeda'");
    return input.Apply("moeda", [](const gym::Value& v) -> gym::Value {
      std::string s = std::get<std::string>(v);
      std::string out;
      for (char c : s) {
        if (c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      return out;
    });
  }
};

// The fan-in node: prints what each branch sent. Handlers may run concurrently, so it locks.
class Summary final : public gym::Handler {
 public:
  absl::StatusOr<gym::Frame> Handle(gym::Frame input) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (input.HasColumn("large")) {
      gym::Frame large = input.Filter([](const gym::RowView& r) { return r.Int("large") == 1; });
      std::printf("flag_large: %zu of %zu payments are above 4000\n", large.num_rows(),
                  input.num_rows());
    } else {
      gym::Frame per_currency = input.GroupBy(
          {"moeda"}, {{"valor", gym::Agg::kCount, "payments"}, {"valor", gym::Agg::kSum, "total"}});
      std::printf("clean: totals per currency\n%s\n",
                  per_currency.SortBy({"moeda"}).HeadString(10).c_str());
    }
    return input;
  }

 private:
  std::mutex mu_;
};

}  // namespace

int main() {
  gym::PipelineBuilder builder;
  builder.Add("generate", gym::MakeHandler([](gym::Frame f) { return f; }));
  builder.Add("clean", std::make_unique<CleanCurrency>(),
              {.depends_on = {"generate"}, .chunks = 2});
  builder.Add("flag_large",
              gym::MakeHandler([](gym::Frame f) {
                return f.Apply(
                    "valor",
                    [](const gym::Value& v) { return gym::Value{int64_t{std::get<double>(v) > 4000}}; },
                    "large");
              }),
              {.depends_on = {"generate"}});
  builder.Add("summary", std::make_unique<Summary>(),
              {.depends_on = {"clean", "flag_large"}, .concurrency = 1});

  absl::StatusOr<std::unique_ptr<gym::Pipeline>> pipeline = std::move(builder).Build();
  if (!pipeline.ok()) {
    std::fprintf(stderr, "quickstart: %s\n", pipeline.status().ToString().c_str());
    return 1;
  }
  std::printf("The DAG:\n%s\n", (*pipeline)->DescribeText().c_str());

  absl::StatusOr<gym::CompletionToken> token =
      (*pipeline)->Submit("generate", GeneratePayments(1, 10000));
  if (!token.ok()) {
    std::fprintf(stderr, "quickstart: %s\n", token.status().ToString().c_str());
    return 1;
  }
  // The first failing node's status, its code kept and its name in the message.
  if (absl::Status s = token->Wait(); !s.ok()) {
    std::fprintf(stderr, "quickstart: the message failed: %s\n", s.ToString().c_str());
    return 1;
  }

  std::printf("\nPer-node statistics:\n");
  for (const gym::NodeStats& s : (*pipeline)->Stats()) {
    std::printf("  %-10s messages=%llu rows=%llu errors=%llu busy=%.3f ms\n", s.name.c_str(),
                static_cast<unsigned long long>(s.messages), static_cast<unsigned long long>(s.rows),
                static_cast<unsigned long long>(s.errors),
                std::chrono::duration<double, std::milli>(s.busy).count());
  }
  return 0;
}
