#include "text_table.h"

#include <algorithm>
#include <ostream>

namespace kuphost::sandbox::sim {

void print_table(std::ostream &out, const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths;
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] + 3 - row[c].size(), ' ');
    }
    out << line << "\n";
  }
}

}  // namespace kuphost::sandbox::sim
