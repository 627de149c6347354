// A pipeline file of its own, run with gym's built-in parts through the installed API:
//
//   in ──> category ──> risk ──> out (keep_columns) ──> collect (a sink of its own)
//
// Prints the scored rows and exits 0 when every transaction got a category and a score.
#include <cstdio>
#include <memory>
#include <string>

#include "gym/gym.h"

namespace {

constexpr char kPipeline[] = R"([sources.in]
type = "records"
columns = { id = "int64", data = "string", valor = "double", moeda = "string" }

[nodes.category]
type = "category"
inputs = ["in"]

[nodes.risk]
type = "risk"
inputs = ["category"]

[nodes.out]
type = "keep_columns"
inputs = ["risk"]
columns = ["id", "categoria", "suspeita"]

[sinks.collect]
type = "collect"
inputs = ["out"]
)";

// Keeps the last frame it received.
class Collect final : public gym::Handler {
 public:
  explicit Collect(gym::Frame* into) : into_(into) {}
  absl::StatusOr<gym::Frame> Handle(gym::Frame input) override {
    *into_ = input;
    return input;
  }

 private:
  gym::Frame* into_;
};

// A decision tree that scores by the seed's rule, trained on a few labeled rows.
std::shared_ptr<const gym::RiskModel> Model() {
  std::vector<gym::Record> rows;
  for (int64_t i = 0; i < 400; ++i) {
    const double valor = static_cast<double>(50 + (i * 37) % 5000);
    const char* moeda = i % 3 == 0 ? "USD" : "BRL";
    const std::string data = "2024-06-0" + std::to_string(3 + i % 5);  // Mon..Fri
    const int64_t label = valor > 3000 || i % 3 == 0 ? 1 : 0;
    rows.push_back({{"id", i}, {"cliente_id", int64_t{1}}, {"data", data}, {"valor", valor},
                    {"moeda", std::string(moeda)}, {"suspeita", label}});
  }
  auto trained = gym::RiskModel::Train(gym::Frame::FromRecords(rows), gym::TrainOptions{});
  if (!trained.ok()) return nullptr;
  return std::make_shared<const gym::RiskModel>(std::move(trained->first));
}

}  // namespace

int main() {
  gym::PartRegistry parts = gym::BuiltinParts();
  gym::Frame collected;
  absl::Status added = parts.Add(
      {.type = "collect",
       .kind = gym::PartKind::kSink,
       .help = "keeps the last frame",
       .make = [&collected](const std::string&, const gym::PartOptions&,
                            const gym::PartContext&) -> gym::MadeHandler {
         return std::make_unique<Collect>(&collected);
       }});
  if (!added.ok()) return 1;
  gym::PipelineLoad load = gym::ParsePipeline(kPipeline, "consumer.toml", parts);
  std::vector<std::string> errors = gym::AllErrors(load, parts);
  for (const std::string& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!errors.empty()) return 1;

  gym::PartContext context;
  std::shared_ptr<const gym::RiskModel> model = Model();
  if (model == nullptr) return 1;
  context.Provide(std::make_shared<gym::RiskModelSource>(
      [model]() -> absl::StatusOr<std::shared_ptr<const gym::RiskModel>> { return model; }));
  absl::StatusOr<gym::AssembledPipeline> assembled =
      gym::AssemblePipeline(*load.spec, parts, context);
  if (!assembled.ok()) {
    std::fprintf(stderr, "%s\n", std::string(assembled.status().message()).c_str());
    return 1;
  }
  const gym::Frame batch = gym::Frame::FromRecords(
      {{{"id", int64_t{1}}, {"data", std::string("2024-06-05")}, {"valor", 100.0},
        {"moeda", std::string("BRL")}},
       {{"id", int64_t{2}}, {"data", std::string("2024-06-05")}, {"valor", 4500.0},
        {"moeda", std::string("BRL")}}});
  absl::StatusOr<gym::CompletionToken> token = assembled->pipeline->Submit("in", batch);
  // The failing node's own status (its code kept, its name in the message), if any.
  const absl::Status status = token.ok() ? token->Wait() : token.status();
  if (!status.ok()) {
    std::fprintf(stderr, "consumer: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("%s", collected.ToString().c_str());
  if (collected.num_rows() != 2 || collected.column("categoria").NullCount() != 0 ||
      collected.column("suspeita").Int64At(0) != 0 || collected.column("suspeita").Int64At(1) != 1) {
    std::fprintf(stderr, "consumer: unexpected output\n");
    return 1;
  }
  std::printf("consumer: ok\n");
  return 0;
}
