#pragma once
// Reading lines with bounds checked while reading: a line is refused as soon
// as it passes its limit, not after it has been read whole (a "line" may be
// /dev/zero's endless bytes or a 2 GB file without a newline).
#include <cstdint>
#include <istream>
#include <string>

namespace chrysalis {

struct LineLimits {
  size_t maxLineBytes = 1 << 20;
  uint64_t maxLines = UINT64_MAX;
  uint64_t maxTotalBytes = UINT64_MAX;
};

class LineReader {
public:
  // `file` names the input in errors ("FILE: line N: ...").
  LineReader(std::istream& in, std::string file, LineLimits limits);

  // The next line without its '\n' (a trailing '\r' is kept); false at the
  // end. Throws InputError naming the line when a limit is passed.
  bool next(std::string& line);
  // Like next(), but a line over maxLineBytes is skipped to its end and
  // reported by returning true with *tooLong set (its bytes are dropped, so
  // memory stays bounded); for protocols that answer and go on.
  bool next(std::string& line, bool* tooLong);
  // 1-based number of the line last returned.
  uint64_t lineNumber() const { return m_line; }

private:
  // Throws on an overlong line when tooLong is null, else skips it.
  bool read(std::string& line, bool* tooLong);
  std::istream& m_in;
  std::string m_file;
  LineLimits m_limits;
  uint64_t m_line = 0;
  uint64_t m_total = 0;
};

} // namespace chrysalis
