#include "core/io/edit_history.h"

#include "core/io/results_csv.h"

#include <chrono>
#include <fmt/chrono.h>
#include <fmt/format.h>

namespace densito {

std::string historyCsv(const std::vector<EditRecord>& history) {
    std::string csv = "time,user,image,action,old,new\n";
    for (const EditRecord& record : history) {
        csv += fmt::format("{},{},{},{},{},{}\n", csvField(record.time), csvField(record.user),
                           csvField(record.image), csvField(record.action), csvField(record.before),
                           csvField(record.after));
    }
    return csv;
}

nlohmann::json historyToJson(const std::vector<EditRecord>& history) {
    nlohmann::json records = nlohmann::json::array();
    for (const EditRecord& record : history) {
        records.push_back({{"time", record.time},
                           {"user", record.user},
                           {"image", record.image},
                           {"action", record.action},
                           {"old", record.before},
                           {"new", record.after}});
    }
    return records;
}

std::string editTimeNow() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

} // namespace densito
