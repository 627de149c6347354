// Text normalization for names and addresses (the seed's NormalizerHandler), with utf8proc.
//
// Steps: Unicode NFD, drop combining marks, upper case, collapse runs of white space to one
// space, trim, then abbreviate the street words RUA -> R., AVENIDA -> AV., PRACA -> PCA. when
// they are whole words (a word is a run of letters and digits; "RUAS" and "RUANDA" stay).
// A '.' right after an abbreviated word is absorbed, so an already dotted "Rua." gives "R.",
// not "R..".
//
//   NormalizeText("  Rua   São João, 12 ")  // "R. SAO JOAO, 12"
//   NormalizeText("Praça da Sé")            // "PCA. DA SE"
//   NormalizeText("\xff")                   // InvalidArgumentError
#ifndef GYM_HANDLERS_NORMALIZER_H_
#define GYM_HANDLERS_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/row_error.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

// The normalized form of `utf8`; InvalidArgumentError when it is not valid UTF-8.
absl::StatusOr<std::string> NormalizeText(std::string_view utf8);

// Normalizes `text` in place (pure ASCII input is done without allocating). On invalid UTF-8
// returns InvalidArgumentError and leaves `text` unchanged.
absl::Status NormalizeInPlace(std::string& text);

// Normalizes every string column except `skip_columns`. A row holding invalid UTF-8 in any
// of those columns is removed and reported. Stateless apart from its counter, so it is safe in
// a chunked node and for concurrent messages.
class NormalizerHandler final : public Handler {
 public:
  explicit NormalizerHandler(std::vector<std::string> skip_columns = {"id", "cpf", "event_id",
                                                                      "batch_id",
                                                                      "data_nascimento"},
                             RowErrorReporter reporter = {});

  absl::StatusOr<Frame> Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

 private:
  bool Skipped(std::string_view column) const;

  std::vector<std::string> skip_columns_;
  RejectedRows rejected_;
};

// The `normalize` part of pipeline files (see gym/pipeline/part_registry.h).
PartInfo NormalizerPart();

}  // namespace gym

#endif  // GYM_HANDLERS_NORMALIZER_H_
