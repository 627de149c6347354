// `gym report`: the seed's metrics over everything a gym database holds (SQL, read-only).
//
//   gym report --db gym.db                 # aligned tables
//   gym report --db gym.db --format json   # one JSON object
//
// Sections: rows per table; suspicious share of transactions; count and total value per
// currency; count per category; the client with most transactions (ties: lowest id); average
// value per client, top 10 (ties: lowest id).
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "fmt/core.h"
#include "gym/cli/commands.h"
#include "gym/storage/sqlite_connection.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

using nlohmann::json;

struct ReportFlags {
  std::string db;
  std::string format = "table";
};

// Runs `sql` and returns its rows as JSON arrays (integers, reals, text, null).
absl::StatusOr<std::vector<json>> Query(SqliteConnection& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  std::vector<json> rows;
  while (true) {
    absl::StatusOr<bool> has_row = stmt->Step();
    if (!has_row.ok()) return has_row.status();
    if (!*has_row) break;
    json row = json::array();
    for (int i = 0; i < stmt->ColumnCount(); ++i) {
      switch (stmt->ColumnType(i)) {
        case SQLITE_INTEGER:
          row.push_back(stmt->ColumnInt64(i));
          break;
        case SQLITE_FLOAT:
          row.push_back(stmt->ColumnDouble(i));
          break;
        case SQLITE_NULL:
          row.push_back(nullptr);
          break;
        default:
          row.push_back(std::string(stmt->ColumnText(i)));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<json> Collect(SqliteConnection& db) {
  json report;
  json counts = json::object();
  for (const char* table : {"clients", "transactions", "scores", "rejected_events"}) {
    auto exists = db.TableExists(table);
    if (!exists.ok()) return exists.status();
    int64_t rows = 0;
    if (*exists) {
      auto r = Query(db, fmt::format("SELECT COUNT(*) FROM {}", QuoteIdentifier(table)));
      if (!r.ok()) return r.status();
      rows = (*r)[0][0].get<int64_t>();
    }
    counts[table] = rows;
  }
  report["rows"] = counts;
  if (counts["transactions"].get<int64_t>() == 0) return report;

  // A section whose columns the table lacks is left out and says why: `gym run` keeps the
  // risk scores in its risk CSV, so its transactions table has no `suspeita`.
  auto columns = Query(db, "SELECT name FROM pragma_table_info('transactions')");
  if (!columns.ok()) return columns.status();
  std::set<std::string> have;
  for (const json& row : *columns) have.insert(row[0].get<std::string>());

  struct Section {
    const char* name;
    std::vector<std::string> needs;
    const char* sql;
  };
  const Section sections[] = {
      {"suspicious",
       {"suspeita"},
       "SELECT COUNT(*), COALESCE(SUM(suspeita = 1), 0) FROM transactions"},
      {"per_currency",
       {"moeda", "valor"},
       "SELECT moeda, COUNT(*), ROUND(SUM(valor), 2) FROM transactions GROUP BY moeda "
       "ORDER BY moeda"},
      {"per_category",
       {"categoria"},
       "SELECT COALESCE(categoria, '(none)'), COUNT(*) FROM transactions GROUP BY 1 "
       "ORDER BY 2 DESC, 1"},
      {"most_transactions",
       {"cliente_id"},
       "SELECT cliente_id, COUNT(*) FROM transactions GROUP BY cliente_id "
       "ORDER BY 2 DESC, cliente_id LIMIT 1"},
      {"average_per_client",
       {"cliente_id", "valor"},
       "SELECT cliente_id, ROUND(AVG(valor), 2), COUNT(*) FROM transactions "
       "GROUP BY cliente_id ORDER BY 2 DESC, cliente_id LIMIT 10"},
  };
  json missing = json::object();
  for (const Section& s : sections) {
    std::string absent;
    for (const std::string& column : s.needs) {
      if (!have.contains(column)) absent += (absent.empty() ? "" : ", ") + column;
    }
    if (!absent.empty()) {
      missing[s.name] = "transactions has no column " + absent;
      if (absent == "suspeita") {
        missing[s.name] =
            missing[s.name].get<std::string>() + " (gym run keeps the risk scores in its risk CSV)";
      }
      continue;
    }
    auto rows = Query(db, s.sql);
    if (!rows.ok()) return rows.status();
    report[s.name] = *rows;
  }
  if (!missing.empty()) report["not_reported"] = missing;
  if (!report.contains("suspicious")) return report;
  const json& suspicious = report["suspicious"][0];
  const auto total = suspicious[0].get<int64_t>();
  const auto flagged = suspicious[1].get<int64_t>();
  report["suspicious"] = {{"transactions", total},
                          {"suspicious", flagged},
                          {"percent", total == 0 ? 0.0 : 100.0 * double(flagged) / double(total)}};
  return report;
}

std::string Cell(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number_float()) return fmt::format("{:.2f}", v.get<double>());
  return v.dump();
}

void PrintTable(const std::string& title, const std::vector<std::string>& header,
                const json& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const json& row : rows) {
    for (size_t c = 0; c < header.size(); ++c) width[c] = std::max(width[c], Cell(row[c]).size());
  }
  std::printf("%s\n", title.c_str());
  auto line = [&](auto cell_of) {
    std::string text = " ";
    for (size_t c = 0; c < header.size(); ++c) text += fmt::format(" {:<{}}", cell_of(c), width[c]);
    std::printf("%s\n", text.c_str());
  };
  line([&](size_t c) { return header[c]; });
  for (const json& row : rows) line([&](size_t c) { return Cell(row[c]); });
  std::printf("\n");
}

void PrintReport(const json& report) {
  json counts = json::array();
  for (const auto& [table, rows] : report["rows"].items()) counts.push_back({table, rows});
  PrintTable("Rows per table", {"table", "rows"}, counts);
  if (report["rows"]["transactions"].get<int64_t>() == 0) {
    std::printf("No transactions stored: nothing more to report.\n");
    return;
  }
  if (report.contains("suspicious")) {
    const json& s = report["suspicious"];
    std::printf("Suspicious transactions\n  %lld of %lld (%.2f%%)\n\n",
                static_cast<long long>(s["suspicious"].get<int64_t>()),
                static_cast<long long>(s["transactions"].get<int64_t>()),
                s["percent"].get<double>());
  }
  auto table = [&](const char* key, const std::string& title,
                   const std::vector<std::string>& header) {
    if (report.contains(key)) PrintTable(title, header, report[key]);
  };
  table("per_currency", "Value per currency", {"moeda", "transactions", "total"});
  table("per_category", "Transactions per category", {"categoria", "transactions"});
  table("most_transactions", "Client with most transactions", {"cliente_id", "transactions"});
  table("average_per_client", "Average value per client (top 10)",
        {"cliente_id", "average", "transactions"});
  if (report.contains("not_reported")) {
    std::printf("Not reported\n");
    for (const auto& [section, why] : report["not_reported"].items()) {
      std::printf("  %s: %s\n", section.c_str(), why.get<std::string>().c_str());
    }
  }
}

int RunReport(const ReportFlags& flags) {
  auto db = SqliteConnection::Open(flags.db, SQLITE_OPEN_READONLY);
  if (!db.ok()) {  // the message names the file already
    std::fprintf(stderr, "gym report: %s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<json> report = Collect(*db);
  if (!report.ok()) {
    std::fprintf(stderr, "gym report: %s: %s\n", flags.db.c_str(),
                 std::string(report.status().message()).c_str());
    return 1;
  }
  if (flags.format == "json") {
    std::printf("%s\n", report->dump(2).c_str());
  } else {
    PrintReport(*report);
  }
  return 0;
}

}  // namespace

void RegisterReportCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* sub = app.add_subcommand(
      "report", "metrics over a gym database: rows, suspicious %, currencies, categories, clients");
  sub->add_option("--db", flags->db, "SQLite database written by gym serve or gym run")->required();
  sub->add_option("--format", flags->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  registry.Add(sub, [flags] { return RunReport(*flags); });
}

}  // namespace gym
