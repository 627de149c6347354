// Schema: the ordered, uniquely named, typed fields of a Frame.
#ifndef GYM_FRAME_SCHEMA_H_
#define GYM_FRAME_SCHEMA_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gym/frame/value.h"

namespace gym {

struct Field {
  std::string name;
  DataType type;
  bool operator==(const Field&) const = default;
};

class Schema final {
 public:
  Schema() = default;
  // Throws FrameError naming the first repeated field.
  explicit Schema(std::vector<Field> fields);

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  std::optional<size_t> IndexOf(std::string_view name) const;
  std::vector<std::string> names() const;
  // "id:int64, nome:string".
  std::string ToString() const;

  bool operator==(const Schema& other) const { return fields_ == other.fields_; }

 private:
  std::vector<Field> fields_;
};

}  // namespace gym

#endif  // GYM_FRAME_SCHEMA_H_
