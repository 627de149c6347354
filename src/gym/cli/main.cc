// gym: one binary, one subcommand per job, with the built-in parts of pipeline files.
#include "gym/cli/commands.h"
#include "gym/datagen/builtin_parts.h"

int main(int argc, char** argv) {
  const gym::PartRegistry parts = gym::BuiltinParts();
  return gym::GymMain(argc, argv, parts);
}
