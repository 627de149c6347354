// RiskModel prediction and its JSON model file.
#include "gym/handlers/risk_model.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fmt/format.h"
#include "gym/handlers/internal/cart_tree.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

constexpr std::string_view kFormat = "gym-risk-tree";
constexpr size_t kFixedFeatures = 3;  // valor, weekday, month

// Ordered, so the file reads format, version, features, currencies, nodes.
using Json = nlohmann::ordered_json;

absl::Status Invalid(std::string_view origin, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", origin, what));
}

// The index of `name` in the vocabulary, or -1 (unknown currency: every one-hot cell is 0).
int CurrencyIndex(const std::vector<std::string>& currencies, std::string_view name) {
  for (size_t c = 0; c < currencies.size(); ++c) {
    if (currencies[c] == name) return static_cast<int>(c);
  }
  return -1;
}

absl::StatusOr<internal::CartNode> ParseNode(const Json& node, size_t index, size_t num_nodes,
                                             size_t num_features, std::string_view origin) {
  const std::string where = fmt::format("nodes[{}]", index);
  if (!node.is_object()) return Invalid(origin, where + " is not an object");
  internal::CartNode parsed;
  if (node.contains("leaf")) {
    const Json& leaf = node["leaf"];
    if (!leaf.is_number_integer() || (leaf.get<int64_t>() != 0 && leaf.get<int64_t>() != 1)) {
      return Invalid(origin, where + ".leaf must be 0 or 1");
    }
    parsed.left = static_cast<int32_t>(leaf.get<int64_t>());
    return parsed;
  }
  for (const char* key : {"feature", "left", "right"}) {
    if (!node.contains(key) || !node[key].is_number_integer()) {
      return Invalid(origin, fmt::format("{}.{} must be an integer", where, key));
    }
  }
  if (!node.contains("threshold") || !node["threshold"].is_number() ||
      !std::isfinite(node["threshold"].get<double>())) {
    return Invalid(origin, where + ".threshold must be a finite number");
  }
  const auto feature = node["feature"].get<int64_t>();
  if (feature < 0 || static_cast<size_t>(feature) >= num_features) {
    return Invalid(origin,
                   fmt::format("{}.feature {} is not in [0, {})", where, feature, num_features));
  }
  for (const char* key : {"left", "right"}) {
    const auto child = node[key].get<int64_t>();
    // Children after their parent: the tree is acyclic and every walk ends at a leaf.
    if (child <= static_cast<int64_t>(index) || static_cast<size_t>(child) >= num_nodes) {
      return Invalid(origin, fmt::format("{}.{} = {} must be in ({}, {})", where, key, child, index,
                                         num_nodes));
    }
  }
  parsed.feature = static_cast<int32_t>(feature);
  parsed.left = static_cast<int32_t>(node["left"].get<int64_t>());
  parsed.right = static_cast<int32_t>(node["right"].get<int64_t>());
  parsed.threshold = node["threshold"].get<double>();
  return parsed;
}

}  // namespace

int RiskModel::Predict(double valor, int weekday, int month, std::string_view moeda) const {
  double x[kFixedFeatures + kMaxCurrencies];
  x[0] = valor;
  x[1] = weekday;
  x[2] = month;
  for (size_t c = 0; c < currencies_.size(); ++c) {
    x[kFixedFeatures + c] = currencies_[c] == moeda ? 1.0 : 0.0;
  }
  return PredictEncoded(x);
}

int RiskModel::PredictEncoded(const double* x) const {
  const internal::CartNode* nodes = nodes_.data();
  int32_t at = 0;
  // The comparison compiles to a conditional move: no branch to mispredict per level.
  while (nodes[at].feature >= 0) {
    const internal::CartNode& node = nodes[at];
    at = x[node.feature] <= node.threshold ? node.left : node.right;
  }
  return nodes[at].left;
}

std::vector<double> RiskModel::Features(double valor, int weekday, int month,
                                        std::string_view moeda) const {
  std::vector<double> x(kFixedFeatures + currencies_.size(), 0.0);
  x[0] = valor;
  x[1] = weekday;
  x[2] = month;
  const int currency = CurrencyIndex(currencies_, moeda);
  if (currency >= 0) x[kFixedFeatures + static_cast<size_t>(currency)] = 1.0;
  return x;
}

std::vector<std::string> RiskModel::FeatureNames() const {
  std::vector<std::string> names = {"valor", "weekday", "month"};
  for (const std::string& currency : currencies_) names.push_back("moeda=" + currency);
  return names;
}

std::string RiskModel::ToJson() const {
  Json nodes = Json::array();
  for (const internal::CartNode& node : nodes_) {
    if (node.feature < 0) {
      nodes.push_back({{"leaf", node.left}});
    } else {
      nodes.push_back({{"feature", node.feature},
                       {"threshold", node.threshold},
                       {"left", node.left},
                       {"right", node.right}});
    }
  }
  const Json model = {{"format", kFormat},
                      {"version", kFormatVersion},
                      {"features", FeatureNames()},
                      {"currencies", currencies_},
                      {"nodes", std::move(nodes)}};
  return model.dump(1) + "\n";
}

absl::Status RiskModel::Save(const std::string& path) const {
  // Named after the process: two gym processes that find no model at the same path (two
  // watch workers started together) each train one and write it; a shared temporary name
  // made the second one's rename fail.
  const std::string temporary = fmt::format("{}.tmp.{}", path, ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << ToJson();
    out.close();
    if (!out) {
      return absl::InternalError(
          fmt::format("{}: cannot write the model: {}", temporary, std::strerror(errno)));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::InternalError(fmt::format("{}: cannot rename {} into place", path, temporary));
  }
  return absl::OkStatus();
}

absl::StatusOr<RiskModel> RiskModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot open the model file", path));
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

absl::StatusOr<RiskModel> RiskModel::FromJson(std::string_view text, std::string_view origin) {
  const Json model = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (model.is_discarded()) return Invalid(origin, "not valid JSON");
  if (!model.is_object()) return Invalid(origin, "the model must be a JSON object");
  if (!model.contains("format") || model["format"] != kFormat) {
    return Invalid(origin, fmt::format("\"format\" must be \"{}\"", kFormat));
  }
  if (!model.contains("version") || !model["version"].is_number_integer()) {
    return Invalid(origin, "\"version\" must be an integer");
  }
  if (model["version"].get<int64_t>() != kFormatVersion) {
    return Invalid(origin, fmt::format("version {} is not supported (this gym reads version {})",
                                       model["version"].get<int64_t>(), kFormatVersion));
  }
  std::vector<std::string> currencies;
  if (!model.contains("currencies") || !model["currencies"].is_array() ||
      model["currencies"].size() > kMaxCurrencies) {
    return Invalid(origin, fmt::format("\"currencies\" must be an array of at most {} strings",
                                       kMaxCurrencies));
  }
  for (const Json& currency : model["currencies"]) {
    if (!currency.is_string()) return Invalid(origin, "\"currencies\" must hold strings");
    currencies.push_back(currency.get<std::string>());
  }
  RiskModel shape(currencies, {});
  const std::vector<std::string> expected = shape.FeatureNames();
  if (!model.contains("features") || model["features"] != Json(expected)) {
    return Invalid(origin, fmt::format("\"features\" must be {}", Json(expected).dump()));
  }
  if (!model.contains("nodes") || !model["nodes"].is_array() || model["nodes"].empty()) {
    return Invalid(origin, "\"nodes\" must be a non-empty array");
  }
  const Json& nodes = model["nodes"];
  std::vector<internal::CartNode> parsed;
  parsed.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    absl::StatusOr<internal::CartNode> node =
        ParseNode(nodes[i], i, nodes.size(), expected.size(), origin);
    if (!node.ok()) return node.status();
    parsed.push_back(*node);
  }
  return RiskModel(std::move(currencies), std::move(parsed));
}

}  // namespace gym
