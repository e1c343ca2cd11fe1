#include "common/line_reader.h"

#include "common/error.h"

#include <streambuf>

namespace chrysalis {

LineReader::LineReader(std::istream& in, std::string file, LineLimits limits)
    : m_in(in), m_file(std::move(file)), m_limits(limits) {}

bool LineReader::next(std::string& line) {
  return read(line, nullptr);
}

bool LineReader::next(std::string& line, bool* tooLong) {
  *tooLong = false;
  return read(line, tooLong);
}

bool LineReader::read(std::string& line, bool* tooLong) {
  line.clear();
  std::streambuf* buf = m_in.rdbuf();
  if (!buf || !m_in.good()) return false;
  using traits = std::char_traits<char>;
  bool any = false;
  while (true) {
    const auto c = buf->sbumpc();
    if (traits::eq_int_type(c, traits::eof())) {
      m_in.setstate(std::ios::eofbit);
      if (!any) return false;
      break;
    }
    if (!any) {
      any = true;
      if (++m_line > m_limits.maxLines)
        throw InputError(m_file, "line " + std::to_string(m_line),
                         "more than " + std::to_string(m_limits.maxLines) + " lines");
    }
    if (++m_total > m_limits.maxTotalBytes)
      throw InputError(m_file, "line " + std::to_string(m_line),
                       "more than " + std::to_string(m_limits.maxTotalBytes) + " bytes in all");
    const char ch = traits::to_char_type(c);
    if (ch == '\n') break;
    if (tooLong && *tooLong) continue; // skipping the rest of an overlong line
    if (line.size() >= m_limits.maxLineBytes) {
      if (!tooLong)
        throw InputError(m_file, "line " + std::to_string(m_line),
                         "longer than " + std::to_string(m_limits.maxLineBytes) + " bytes");
      *tooLong = true;
      std::string().swap(line); // give its memory back now
      continue;
    }
    line.push_back(ch);
  }
  return true;
}

} // namespace chrysalis
