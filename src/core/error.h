#pragma once

#include <string>

namespace densito {

/// A failure that names what failed and why; core functions return it inside std::expected.
struct Error {
    std::string subject; ///< usually the input file name; may be empty
    std::string reason;  ///< one readable sentence, no trailing period

    /// "subject: reason", or just the reason when there is no subject.
    std::string describe() const { return subject.empty() ? reason : subject + ": " + reason; }
};

} // namespace densito
