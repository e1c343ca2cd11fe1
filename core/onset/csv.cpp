#include "onset/csv.h"

#include "common/error.h"
#include "common/input_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>

namespace chrysalis::onset {
namespace {

constexpr uint64_t kMaxCsvBytes = uint64_t{256} << 20;

std::string lineName(size_t line) {
  return "line " + std::to_string(line);
}

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isBlank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back()))
    s.remove_suffix(1);
  return s;
}

struct Record {
  std::vector<std::string> fields;
  size_t line = 0;
  bool blank = false; // one empty unquoted field: an empty line
};

// Splits CSV text into records, tracking physical line numbers so that every
// error can point at its line even when quoted fields span several.
class Splitter {
public:
  Splitter(std::string_view text, const std::string& source) : m_text(text), m_source(source) {
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
  }

  bool done() const { return m_pos >= m_text.size(); }

  Record next() {
    Record r;
    r.line = m_line;
    bool anyQuoted = false;
    for (;;) {
      bool quoted = false;
      r.fields.push_back(field(quoted));
      anyQuoted = anyQuoted || quoted;
      if (done()) break;
      char c = m_text[m_pos++];
      if (c == ',') continue;
      endLine(c);
      break;
    }
    r.blank = r.fields.size() == 1 && r.fields[0].empty() && !anyQuoted;
    return r;
  }

private:
  // Consumes the rest of a line break whose first character was `c`.
  void endLine(char c) {
    if (c == '\r' && m_pos < m_text.size() && m_text[m_pos] == '\n') ++m_pos;
    ++m_line;
  }

  std::string field(bool& quoted) {
    size_t start = m_pos;
    while (m_pos < m_text.size() && isBlank(m_text[m_pos]))
      ++m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '"') {
      quoted = true;
      return quotedField();
    }
    m_pos = start;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') fail(m_line, "stray '\"' inside an unquoted field (quote the whole field)");
      ++m_pos;
    }
    return std::string(trim(m_text.substr(start, m_pos - start)));
  }

  std::string quotedField() {
    size_t openedOn = m_line;
    ++m_pos; // the opening quote
    std::string out;
    for (;;) {
      if (done()) fail(openedOn, "quoted field is never closed");
      char c = m_text[m_pos++];
      if (c == '"') {
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
          out += '"';
          ++m_pos;
          continue;
        }
        break;
      }
      if (c == '\r' || c == '\n') {
        out += '\n';
        endLine(c);
        continue;
      }
      out += c;
    }
    while (m_pos < m_text.size() && isBlank(m_text[m_pos]))
      ++m_pos;
    if (!done() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') {
      fail(m_line, "unexpected text after a closing quote");
    }
    return out;
  }

  [[noreturn]] void fail(size_t line, const std::string& reason) const {
    throw InputError(m_source, lineName(line), reason);
  }

  std::string_view m_text;
  const std::string& m_source;
  size_t m_pos = 0;
  size_t m_line = 1;
};

bool parseDouble(std::string_view s, double& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  // from_chars ignores the C locale, which a Qt app sets from the user's
  // (a German locale would otherwise misread "0.5").
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool parseInteger(std::string_view s, int64_t& out) {
  s = trim(s);
  std::string_view digits = !s.empty() && s.front() == '+' ? s.substr(1) : s;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) return true;
  // Tools that write every number as a float ("1000.0", "1e3") still mean a step.
  double d = 0.0;
  if (!parseDouble(s, d) || d != std::floor(d) || std::abs(d) >= 9.2e18) return false;
  out = static_cast<int64_t>(d);
  return true;
}

std::string quoteForMessage(const std::string& cell) {
  return "'" + (cell.size() > 40 ? cell.substr(0, 40) + "..." : cell) + "'";
}

} // namespace

CsvTable CsvTable::read(const std::filesystem::path& path) {
  std::error_code ec;
  // A folder opens as a stream on Linux and would read as an empty file.
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string(), "", "is a folder, not a CSV file");
  }
  // Regular files only (a FIFO would block), and bounded: a metrics table is
  // a few KB per run.
  return parse(readRegularFile(path, kMaxCsvBytes), path.string());
}

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  CsvTable table;
  table.m_source = source;
  Splitter split(text, source);
  bool haveHeader = false;
  size_t headerLine = 1;
  while (!split.done()) {
    Record r = split.next();
    if (r.blank) continue;
    if (!haveHeader) {
      haveHeader = true;
      headerLine = r.line;
      for (size_t k = 0; k < r.fields.size(); ++k) {
        std::string name(trim(r.fields[k]));
        if (name.empty()) {
          throw InputError(source, lineName(r.line),
                           "header column " + std::to_string(k + 1) + " has no name");
        }
        if (std::find(table.m_names.begin(), table.m_names.end(), name) != table.m_names.end()) {
          throw InputError(source, lineName(r.line), "duplicate column name '" + name + "'");
        }
        table.m_names.push_back(name);
      }
      continue;
    }
    if (r.fields.size() != table.m_names.size()) {
      throw InputError(source, lineName(r.line),
                       "expected " + std::to_string(table.m_names.size()) +
                           " fields (as in the header on line " + std::to_string(headerLine) +
                           "), found " + std::to_string(r.fields.size()));
    }
    table.m_rows.push_back(std::move(r.fields));
    table.m_lines.push_back(r.line);
  }
  if (!haveHeader) throw InputError(source, lineName(1), "empty file: no header row");
  table.m_headerLine = headerLine;
  return table;
}

bool CsvTable::hasColumn(const std::string& name) const {
  return std::find(m_names.begin(), m_names.end(), name) != m_names.end();
}

size_t CsvTable::columnIndex(const std::string& name) const {
  auto it = std::find(m_names.begin(), m_names.end(), name);
  if (it == m_names.end()) {
    std::string known;
    for (const std::string& n : m_names)
      known += (known.empty() ? "" : ", ") + n;
    throw InputError(m_source, lineName(m_headerLine),
                     "no column '" + name + "' (columns: " + known + ")");
  }
  return static_cast<size_t>(it - m_names.begin());
}

std::vector<double> CsvTable::numbers(const std::string& column) const {
  size_t c = columnIndex(column);
  std::vector<double> out;
  out.reserve(m_rows.size());
  for (size_t r = 0; r < m_rows.size(); ++r) {
    const std::string& cell = m_rows[r][c];
    if (trim(cell).empty()) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    double v = 0.0;
    if (!parseDouble(cell, v) || std::isinf(v)) {
      throw InputError(m_source, lineName(m_lines[r]),
                       "column '" + column + "': " + quoteForMessage(cell) +
                           " is not a finite number");
    }
    out.push_back(v);
  }
  return out;
}

std::vector<int64_t> CsvTable::integers(const std::string& column) const {
  size_t c = columnIndex(column);
  std::vector<int64_t> out;
  out.reserve(m_rows.size());
  for (size_t r = 0; r < m_rows.size(); ++r) {
    const std::string& cell = m_rows[r][c];
    int64_t v = 0;
    if (trim(cell).empty()) {
      throw InputError(m_source, lineName(m_lines[r]), "column '" + column + "' is empty here");
    }
    if (!parseInteger(cell, v)) {
      throw InputError(m_source, lineName(m_lines[r]),
                       "column '" + column + "': " + quoteForMessage(cell) + " is not an integer");
    }
    out.push_back(v);
  }
  return out;
}

Curve CsvTable::curve(const std::string& stepColumn, const std::string& valueColumn) const {
  std::vector<int64_t> steps = integers(stepColumn);
  std::vector<double> values = numbers(valueColumn);
  std::vector<size_t> order(steps.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return steps[a] < steps[b]; });
  std::vector<int64_t> sortedSteps;
  std::vector<double> sortedValues;
  for (size_t k = 0; k < order.size(); ++k) {
    size_t r = order[k];
    if (k > 0 && steps[order[k - 1]] == steps[r]) {
      size_t first = std::min(m_lines[order[k - 1]], m_lines[r]);
      size_t second = std::max(m_lines[order[k - 1]], m_lines[r]);
      throw InputError(m_source, lineName(second),
                       "step " + std::to_string(steps[r]) + " already appears on line " +
                           std::to_string(first));
    }
    sortedSteps.push_back(steps[r]);
    sortedValues.push_back(values[r]);
  }
  return Curve(std::move(sortedSteps), std::move(sortedValues));
}

} // namespace chrysalis::onset
