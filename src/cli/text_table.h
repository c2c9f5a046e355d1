#pragma once

#include <string>
#include <vector>

namespace densito::cli {

/// A plain-text table for the terminal: columns padded to their widest cell,
/// a header row and a rule under it.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header);
    void addRow(std::vector<std::string> cells);
    std::string render() const;

private:
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace densito::cli
