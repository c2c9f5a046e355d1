#include "cli/text_table.h"

#include <algorithm>

namespace densito::cli {

TextTable::TextTable(std::vector<std::string> header) {
    m_rows.push_back(std::move(header));
}

void TextTable::addRow(std::vector<std::string> cells) {
    cells.resize(m_rows.front().size());
    m_rows.push_back(std::move(cells));
}

std::string TextTable::render() const {
    std::vector<std::size_t> widths(m_rows.front().size(), 0);
    for (const auto& row : m_rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], row[c].size());
        }
    }
    std::string text;
    auto appendRow = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) {
                line.append(widths[c] - row[c].size() + 2, ' ');
            }
        }
        text += line + '\n';
    };
    appendRow(m_rows.front());
    std::size_t total = 0;
    for (const std::size_t w : widths) {
        total += w + 2;
    }
    text += std::string(total > 2 ? total - 2 : 0, '-') + '\n';
    for (std::size_t r = 1; r < m_rows.size(); ++r) {
        appendRow(m_rows[r]);
    }
    return text;
}

} // namespace densito::cli
