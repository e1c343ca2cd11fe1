#include "text/vocab.h"

#include "common/error.h"
#include "common/input_file.h"
#include "common/line_reader.h"
#include "text/utf8.h"

#include <algorithm>
#include <fstream>

namespace chrysalis::text {

namespace {
std::string lineOf(size_t index) {
  return "line " + std::to_string(index + 1);
}
} // namespace

Vocab Vocab::load(const std::filesystem::path& path) {
  InputFile file(path, kMaxFileBytes);
  return read(file.stream(), path.string());
}

Vocab Vocab::read(std::istream& in, const std::string& displayName) {
  std::vector<std::string> tokens;
  std::string line;
  // +1: the "\r" of a CRLF line is stripped below.
  LineReader lines(in, displayName, LineLimits{kMaxTokenBytes + 1, kMaxLines, kMaxFileBytes});
  while (lines.next(line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tokens.push_back(line);
  }
  return fromTokens(std::move(tokens), displayName);
}

Vocab Vocab::fromTokens(std::vector<std::string> tokens, const std::string& displayName) {
  if (tokens.empty()) throw InputError(displayName, "", "the vocabulary is empty");
  auto data = std::make_shared<Data>();
  data->tokens = std::move(tokens);
  data->ids.reserve(data->tokens.size());
  for (size_t i = 0; i < data->tokens.size(); ++i) {
    const std::string& token = data->tokens[i];
    if (token.empty()) throw InputError(displayName, lineOf(i), "empty token");
    if (const size_t bad = utf8::firstInvalid(token); bad != std::string::npos)
      throw InputError(displayName, lineOf(i),
                       "invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the token");
    const auto id = static_cast<int32_t>(i);
    auto [it, inserted] = data->ids.emplace(token, id);
    if (!inserted)
      throw InputError(displayName, lineOf(i),
                       "duplicate token \"" + token + "\" (first on line " +
                           std::to_string(it->second + 1) + ")");
    data->maxTokenBytes = std::max(data->maxTokenBytes, token.size());
    if (token.size() > 2 && token[0] == '#' && token[1] == '#') {
      std::string_view stem = std::string_view(token).substr(2);
      data->continuationIds.emplace(stem, id);
      data->maxStemBytes = std::max(data->maxStemBytes, stem.size());
    }
  }
  int32_t* slots[] = {&data->specials.pad, &data->specials.unk, &data->specials.cls,
                      &data->specials.sep, &data->specials.mask};
  for (size_t k = 0; k < 5; ++k) {
    auto it = data->ids.find(kSpecialTokens[k]);
    if (it == data->ids.end())
      throw InputError(displayName, "", std::string("missing special token ") + kSpecialTokens[k]);
    *slots[k] = it->second;
  }
  return Vocab(std::move(data));
}

int32_t Vocab::find(std::string_view token) const {
  auto it = m_data->ids.find(token);
  return it == m_data->ids.end() ? kMissing : it->second;
}

int32_t Vocab::findContinuation(std::string_view stem) const {
  auto it = m_data->continuationIds.find(stem);
  return it == m_data->continuationIds.end() ? kMissing : it->second;
}

void Vocab::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError(path.string(), "", "cannot write the vocabulary file");
  for (const std::string& token : m_data->tokens)
    out << token << '\n';
  if (!out) throw InputError(path.string(), "", "write failed");
}

} // namespace chrysalis::text
