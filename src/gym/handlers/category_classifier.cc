// The category handler: keeps a given categoria, fills the others from CategoryFor.
#include "gym/handlers/category_classifier.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gym {
namespace {

// The categoria column as strings (a column read from a file with only nulls or numbers may
// have been typed otherwise).
Column CategoriesAsStrings(const Frame& input) {
  if (!input.HasColumn("categoria")) {
    Column column(DataType::kString);
    for (size_t row = 0; row < input.num_rows(); ++row) column.AppendNull();
    return column;
  }
  const Column& given = input.column("categoria");
  if (given.type() == DataType::kString) return given;
  Column column(DataType::kString);
  column.Reserve(given.size());
  for (size_t row = 0; row < given.size(); ++row) {
    if (given.IsValid(row)) {
      column.AppendString(ValueToString(given.At(row)));
    } else {
      column.AppendNull();
    }
  }
  return column;
}

}  // namespace

CategoryHandler::CategoryHandler(RowErrorReporter reporter)
    : rejected_("category", std::move(reporter)) {}

std::optional<std::string> CategoryHandler::RowProblem(const Frame& input, size_t row) {
  if (input.HasColumn("categoria")) {
    const Column& given = input.column("categoria");
    if (given.IsValid(row) && (given.type() != DataType::kString || !given.StringAt(row).empty())) {
      return std::nullopt;
    }
  }
  if (!input.HasColumn("id")) return "categoria is missing and there is no column 'id'";
  const Column& ids = input.column("id");
  if (ids.type() != DataType::kInt64) return "categoria is missing and column 'id' is not int64";
  if (!ids.IsValid(row)) return "categoria is missing and id is null";
  return std::nullopt;
}

absl::StatusOr<Frame> CategoryHandler::Handle(Frame input) {
  Column categories = CategoriesAsStrings(input);
  std::vector<std::string>& cells = categories.mutable_strings();
  std::vector<size_t> rejected;
  Column filled(DataType::kString);
  filled.Reserve(cells.size());
  // Looked up once, not by name per row as RowProblem does (a server batch of transactions
  // without categoria passes here for every row); RowProblem only names the reason for the
  // rare row that gets no category.
  const Column* ids = input.HasColumn("id") ? &input.column("id") : nullptr;
  if (ids != nullptr && ids->type() != DataType::kInt64) ids = nullptr;
  for (size_t row = 0; row < cells.size(); ++row) {
    if (categories.IsValid(row) && !cells[row].empty()) {
      filled.AppendString(std::move(cells[row]));
      continue;
    }
    if (ids != nullptr && ids->IsValid(row)) {
      filled.AppendString(std::string(CategoryFor(ids->Int64At(row))));
      continue;
    }
    rejected.push_back(row);
    rejected_.Report(input, row, RowProblem(input, row).value_or("categoria is missing"));
    filled.AppendNull();
  }
  input.AddColumn("categoria", std::move(filled));
  return WithoutRows(std::move(input), rejected);
}

PartInfo CategoryPart() {
  return {.type = "category",
          .kind = PartKind::kHandler,
          .help = "keeps a given categoria, fills a missing one from a hash of id (rows that "
                  "need one and have no id are rejected)",
          .contract =
              [](const PartOptions&) {
                return ColumnContract{.reads = {{"id", DataType::kInt64}},
                                      .adds = {{"categoria", DataType::kString}}};
              },
          .make = [](const std::string&, const PartOptions&, const PartContext& c)
              -> MadeHandler { return std::make_unique<CategoryHandler>(c.rejected); }};
}

}  // namespace gym
