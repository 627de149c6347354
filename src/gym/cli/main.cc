// gym: one binary, one subcommand per job, with the built-in parts of pipeline files.
#include "gym/cli/commands.h"
#include "gym/datagen/builtin_parts.h"

#ifdef GYM_WITH_JEMALLOC
// jemalloc reads its settings from this symbol of the program (MALLOC_CONF still overrides).
// One arena instead of four per core: gRPC's pollers, the writer and the merge thread each
// freed into an arena of their own, where the pages waited out the ten-second decay beside
// the live ones. One arena held the closed-loop peak 6-7 MiB lower (68 -> 62 MiB at 10M
// rows) at the same events/s on two cores (docs/architecture.md, "Memory allocator").
extern "C" const char* malloc_conf;
const char* malloc_conf = "narenas:1";
#endif

int main(int argc, char** argv) {
  const gym::PartRegistry parts = gym::BuiltinParts();
  return gym::GymMain(argc, argv, parts);
}
