#pragma once
// A WordPiece vocabulary in BERT's vocab.txt format: one token per line,
// id = 0-based line index, "##" marks a piece that continues a word.
#include "common/error.h"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chrysalis::text {

// Ids of the five special tokens every BERT vocabulary must have.
struct SpecialIds {
  int32_t pad = -1;
  int32_t unk = -1;
  int32_t cls = -1;
  int32_t sep = -1;
  int32_t mask = -1;
};

class Vocab {
public:
  static constexpr int32_t kMissing = -1;
  static constexpr const char* kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

  // Reads vocab.txt. Throws InputError (file, "line N", reason) for an empty
  // file, an empty line, invalid UTF-8, a duplicate token or a missing special
  // token. A trailing "\r" on a line is stripped. Bounded while read (limits
  // below): a FIFO, a device or an oversized file is refused before reading.
  static constexpr uint64_t kMaxFileBytes = uint64_t{64} << 20;
  static constexpr uint64_t kMaxLines = 4'000'000; // BertConfig's vocab_size bound
  static constexpr size_t kMaxTokenBytes = 1024;
  static Vocab load(const std::filesystem::path& path);
  static Vocab read(std::istream& in, const std::string& displayName);
  // Same checks for tokens already in memory (`displayName` names them in errors).
  static Vocab fromTokens(std::vector<std::string> tokens, const std::string& displayName);

  size_t size() const { return m_data->tokens.size(); }
  // Id of `token`, or kMissing.
  int32_t find(std::string_view token) const;
  // Id of "##" + stem, or kMissing; avoids building the prefixed string.
  int32_t findContinuation(std::string_view stem) const;
  // Longest token / continuation stem in bytes (bounds the greedy search).
  size_t maxTokenBytes() const { return m_data->maxTokenBytes; }
  size_t maxStemBytes() const { return m_data->maxStemBytes; }

  const std::string& token(int32_t id) const { return m_data->tokens.at(static_cast<size_t>(id)); }
  const std::vector<std::string>& tokens() const { return m_data->tokens; }
  const SpecialIds& specials() const { return m_data->specials; }

  // Writes vocab.txt (one token per line, LF).
  void save(const std::filesystem::path& path) const;

private:
  struct Data {
    std::vector<std::string> tokens;
    std::unordered_map<std::string_view, int32_t> ids;
    std::unordered_map<std::string_view, int32_t> continuationIds; // key: token minus "##"
    SpecialIds specials;
    size_t maxTokenBytes = 0;
    size_t maxStemBytes = 0;
  };
  explicit Vocab(std::shared_ptr<const Data> data) : m_data(std::move(data)) {}
  // Immutable and shared, so copies are cheap and the string_view keys of the
  // lookup tables stay valid.
  std::shared_ptr<const Data> m_data;
};

} // namespace chrysalis::text
