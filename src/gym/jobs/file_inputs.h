// Which files a pipeline file takes, and what each source is sent for one: the rules a file
// job (FileJob) feeds its sources by. A `files` trigger decides which sources a dropped or
// listed file goes to (their `match` globs).
//
//   for (const std::string& source : SourcesForFile(spec, "in/drop_0001.txt"))
//     pipeline.Submit(source, RequestFor(*spec.Find(source), path, sha256));
#ifndef GYM_JOBS_FILE_INPUTS_H_
#define GYM_JOBS_FILE_INPUTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {

// The sources a dropped or listed file goes to: those a `files` trigger feeds (all sources
// with `match` globs when it names none) whose globs take the file's name. With the built-in
// pipeline: "*.txt" → new_txt; "*.csv" → scores_csv (labeled training data excepted); "*.db"
// → clients_db and historical_db.
std::vector<std::string> SourcesForFile(const PipelineSpec& spec, const std::string& path);

// True when the spec has a `files` trigger (else a job has no file to feed).
bool HasFilesTrigger(const PipelineSpec& spec);

// The request Frame to submit to `source` for `path` (a file request; for an sqlite_table
// source a table request), whose bytes hash to `content_sha256` (FileSha256Hex). The batch
// id, and so every event id, derives from the content, not the name: the same bytes again
// (under any name) store nothing twice, other bytes under an old name are new data.
Frame RequestFor(const PartSpec& source, const std::string& path,
                 const std::string& content_sha256);

// The batch id RequestFor gives: "<node>:<first 32 hex digits of the SHA-256>".
std::string ContentBatchId(const std::string& node, const std::string& content_sha256);

// The input files of `dir` (those SourcesForFile takes), in name order; NOT_FOUND saying
// what to do when there are none.
absl::StatusOr<std::vector<std::string>> ListInputs(const PipelineSpec& spec,
                                                    const std::string& dir);

}  // namespace gym

#endif  // GYM_JOBS_FILE_INPUTS_H_
