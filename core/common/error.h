#pragma once
// One error type for bad outside input: it always names the file and, where
// known, the place in it (a line, a tensor, an attribute), so every message a
// user sees reads "FILE: PLACE: what is wrong".
#include <stdexcept>
#include <string>

namespace chrysalis {

class InputError : public std::runtime_error {
public:
  InputError(std::string file, std::string place, const std::string& reason)
      : std::runtime_error(compose(file, place, reason)), m_file(std::move(file)),
        m_place(std::move(place)), m_reason(reason) {}

  const std::string& file() const { return m_file; }
  const std::string& place() const { return m_place; }
  const std::string& reason() const { return m_reason; }

private:
  static std::string compose(const std::string& file, const std::string& place,
                             const std::string& reason) {
    std::string s = file;
    if (!place.empty()) s += ": " + place;
    return s + ": " + reason;
  }
  std::string m_file;
  std::string m_place;
  std::string m_reason;
};

} // namespace chrysalis
