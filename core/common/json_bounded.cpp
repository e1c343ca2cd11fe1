#include "common/json_bounded.h"

#include "common/error.h"

namespace chrysalis {

namespace {

using json = nlohmann::json;

// First pass: nlohmann's SAX parser is iterative, so it walks any depth
// without recursion; this handler only counts levels and records the first
// problem. Nothing is built.
class DepthCheck : public nlohmann::json_sax<json> {
public:
  explicit DepthCheck(int maxDepth) : m_max(maxDepth) {}
  std::string problem;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    problem = "not valid JSON at byte " + std::to_string(position) + " (" + shortReason(e) + ")";
    return false;
  }

private:
  bool enter() {
    if (++m_depth <= m_max) return true;
    problem = "JSON nested deeper than " + std::to_string(m_max) + " levels";
    return false;
  }
  bool leave() {
    --m_depth;
    return true;
  }
  // nlohmann's message after its "[json.exception.parse_error.101] parse error at ...: ".
  static std::string shortReason(const nlohmann::detail::exception& e) {
    std::string s = e.what();
    const size_t colon = s.rfind(": ");
    return colon == std::string::npos ? s : s.substr(colon + 2);
  }
  int m_depth = 0;
  int m_max;
};

} // namespace

json parseJsonBounded(std::string_view text, const std::string& file, int maxDepth,
                      const std::string& place) {
  DepthCheck check(maxDepth);
  const bool ok =
      json::sax_parse(text.begin(), text.end(), &check, nlohmann::json::input_format_t::json,
                      /*strict=*/true);
  if (!ok) throw InputError(file, place, check.problem.empty() ? "not valid JSON" : check.problem);
  // Second pass builds the values; the depth is now known to be small.
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) throw InputError(file, place, "not valid JSON");
  return j;
}

} // namespace chrysalis
