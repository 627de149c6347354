// What `gym run` prints after its job: the metric tables, the per-node summary and the rows
// stored, as text or as one JSON object (--format json, what a script reads).
#ifndef GYM_CLI_RUN_OUTPUT_H_
#define GYM_CLI_RUN_OUTPUT_H_

#include <string>
#include <vector>

#include "gym/jobs/file_job.h"
#include "gym/pipeline/pipeline.h"

namespace gym {

// The per-node summary table: messages, rows in, rows out (what a source read), errors, and
// the time spent (for a sink, until its commit).
std::string FormatNodeSummary(const std::vector<NodeStats>& stats);

// The folders of the job's csv sinks: "results/" or "a/, b/".
std::string CsvFolders(const FileJob& job);

void PrintResults(const FileJob& job);
void PrintResultsJson(const FileJob& job, const std::string& out_db, double seconds);

}  // namespace gym

#endif  // GYM_CLI_RUN_OUTPUT_H_
