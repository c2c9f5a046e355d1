#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace densito {

/// One edit a person made to a project (a lane moved, a band added, a layout replaced, or the
/// undo or redo of one), kept so that a reviewer can see which numbers came from
/// hand-corrected geometry. Values are words and original-image pixels, as the person saw them.
struct EditRecord {
    std::string time;   ///< UTC, ISO 8601 to the second, e.g. 2026-12-07T19:52:03Z
    std::string user;   ///< the login name of whoever made the edit
    std::string image;  ///< the image's file name; empty for an edit of the whole project
    std::string action; ///< what was done, e.g. "Move Lane", "Undo: Move Lane"
    std::string before; ///< the value before the edit; empty when something was added
    std::string after;  ///< the value after it; empty when something was removed

    friend bool operator==(const EditRecord&, const EditRecord&) = default;
};

/// `history.csv`: header `time,user,image,action,old,new`, one row per record in the order
/// made, RFC 4180 quoting, '\n' line ends; only the header for an empty history.
std::string historyCsv(const std::vector<EditRecord>& history);

/// The history as a project file keeps it: an array of objects with the keys `time`, `user`,
/// `image`, `action`, `old` and `new`.
nlohmann::json historyToJson(const std::vector<EditRecord>& history);

/// The current time as EditRecord::time has it.
std::string editTimeNow();

} // namespace densito
