#pragma once
// A small CSV reader for metric tables (`chrysalis-cli onsets --metrics`):
// a header row, comma-separated fields, optional double quotes ("" inside
// quotes is a quote; quoted fields may hold commas and newlines), CRLF or LF,
// a UTF-8 BOM is skipped, blank lines are ignored, and spaces around unquoted
// fields are trimmed. Empty cells are missing values.
#include "onset/curve.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::onset {

class CsvTable {
public:
  /// Reads and parses a file.
  /// @param path the CSV file.
  /// @throws chrysalis::InputError(path, "line N", reason) for unreadable
  ///         files and malformed CSV.
  static CsvTable read(const std::filesystem::path& path);

  /// Parses CSV text.
  /// @param text   the whole file's content.
  /// @param source the name used in error messages (usually the file path).
  /// @throws chrysalis::InputError(source, "line N", reason): an unterminated
  ///         quote, text after a closing quote, a stray quote, a row with the
  ///         wrong number of fields, an empty, duplicate or missing header.
  static CsvTable parse(std::string_view text, const std::string& source);

  const std::vector<std::string>& columnNames() const { return m_names; }
  bool hasColumn(const std::string& name) const;
  /// Number of data rows (the header excluded).
  size_t rowCount() const { return m_rows.size(); }
  /// Raw text of a cell (after unquoting).
  const std::string& cell(size_t row, size_t column) const { return m_rows[row][column]; }
  /// 1-based line of the file on which a data row starts.
  size_t lineOf(size_t row) const { return m_lines[row]; }

  /// A column as numbers; empty cells (and "nan") are NaN.
  /// @throws chrysalis::InputError naming the column when it does not exist
  ///         (place "line 1") or the line of a cell that is not a finite number.
  std::vector<double> numbers(const std::string& column) const;

  /// A column as integer steps (integral values like "1000" or "1e3").
  /// @throws chrysalis::InputError for a missing column, an empty cell, or a
  ///         cell that is not an integer.
  std::vector<int64_t> integers(const std::string& column) const;

  /// A metric curve: steps from one column, values from another, rows sorted
  /// by step (row order in the file does not matter).
  /// @throws chrysalis::InputError as numbers()/integers() do, and for two
  ///         rows with the same step (naming both lines).
  Curve curve(const std::string& stepColumn, const std::string& valueColumn) const;

private:
  size_t columnIndex(const std::string& name) const;

  std::string m_source;
  std::vector<std::string> m_names;
  std::vector<std::vector<std::string>> m_rows;
  std::vector<size_t> m_lines;
  size_t m_headerLine = 1;
};

} // namespace chrysalis::onset
