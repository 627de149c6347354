// Column selection parts: `drop_columns` removes columns, `keep_columns` keeps only some.
//
//   [nodes.slim]
//   type = "drop_columns"
//   inputs = ["new_txt"]
//   columns = ["cliente_id"]
//
// A column to drop that is absent is ignored; a column to keep that is absent fails the
// message, naming it (something upstream did not produce what the file says it does).
#ifndef GYM_HANDLERS_COLUMN_SELECTION_H_
#define GYM_HANDLERS_COLUMN_SELECTION_H_

#include "gym/pipeline/part_registry.h"

namespace gym {

PartInfo DropColumnsPart();
PartInfo KeepColumnsPart();

}  // namespace gym

#endif  // GYM_HANDLERS_COLUMN_SELECTION_H_
