#include "probes/head_choice.h"

#include "common/splitmix.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace chrysalis::probes {

namespace {

[[noreturn]] void refuse(const std::string& spec, const std::string& why) {
  throw std::invalid_argument("head choice '" + spec + "': " + why +
                              " (expected top:K, random:K or heads as layer-head, e.g. 4-1,3-2)");
}

// A positive integer made of digits only.
int64_t positive(const std::string& spec, const std::string& text) {
  if (text.empty() || text.size() > 6 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    refuse(spec, "'" + text + "' is not a positive number");
  const int64_t v = std::stoll(text);
  if (v < 1) refuse(spec, "'" + text + "' is not a positive number");
  return v;
}

} // namespace

HeadChoice parseHeadChoice(const std::string& spec) {
  HeadChoice c;
  for (auto [prefix, kind] :
       {std::pair{"top:", HeadChoice::Kind::Top}, std::pair{"random:", HeadChoice::Kind::Random}}) {
    const std::string p = prefix;
    if (spec.rfind(p, 0) == 0) {
      c.kind = kind;
      c.count = static_cast<size_t>(positive(spec, spec.substr(p.size())));
      return c;
    }
  }
  c.kind = HeadChoice::Kind::Explicit;
  size_t begin = 0;
  while (begin <= spec.size()) {
    size_t end = spec.find(',', begin);
    if (end == std::string::npos) end = spec.size();
    const std::string item = spec.substr(begin, end - begin);
    const size_t dash = item.find('-');
    if (dash == std::string::npos) refuse(spec, "'" + item + "' is not layer-head");
    const int64_t layer = positive(spec, item.substr(0, dash)) - 1;
    const int64_t head = positive(spec, item.substr(dash + 1)) - 1;
    for (size_t i = 0; i < c.layers.size(); ++i)
      if (c.layers[i] == layer && c.heads[i] == head) refuse(spec, item + " is listed twice");
    c.layers.push_back(layer);
    c.heads.push_back(head);
    begin = end + 1;
  }
  c.count = c.layers.size();
  return c;
}

std::string headChoiceSpec(const HeadChoice& c) {
  if (c.kind == HeadChoice::Kind::Top) return "top:" + std::to_string(c.count);
  if (c.kind == HeadChoice::Kind::Random) return "random:" + std::to_string(c.count);
  std::string s;
  for (size_t i = 0; i < c.layers.size(); ++i)
    s += (i ? "," : "") + std::to_string(c.layers[i] + 1) + "-" + std::to_string(c.heads[i] + 1);
  return s;
}

std::vector<int64_t> randomHeadsExcept(size_t count, int64_t total,
                                       const std::vector<int64_t>& exclude, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(total));
  std::iota(order.begin(), order.end(), 0);
  SplitMix64 rng(seed);
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<int64_t> out;
  for (int64_t h : order) {
    if (out.size() == count) break;
    if (std::find(exclude.begin(), exclude.end(), h) == exclude.end()) out.push_back(h);
  }
  if (out.size() < count)
    throw std::invalid_argument("cannot draw " + std::to_string(count) + " heads from the " +
                                std::to_string(total - static_cast<int64_t>(exclude.size())) +
                                " not already chosen");
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int64_t> chooseHeads(const HeadChoice& c, int64_t layers, int64_t heads,
                                 const std::vector<double>& headUas, uint64_t seed) {
  const int64_t total = layers * heads;
  const std::string spec = headChoiceSpec(c);
  if (c.count == 0) refuse(spec, "no heads");
  if (static_cast<int64_t>(c.count) >= total)
    throw std::invalid_argument("head choice '" + spec + "': the model has " +
                                std::to_string(total) +
                                " heads; ablating all of them leaves nothing to compare");
  std::vector<int64_t> out;
  switch (c.kind) {
  case HeadChoice::Kind::Explicit:
    for (size_t i = 0; i < c.layers.size(); ++i) {
      if (c.layers[i] >= layers || c.heads[i] >= heads)
        throw std::invalid_argument(
            "head choice '" + spec + "': head " + std::to_string(c.layers[i] + 1) + "-" +
            std::to_string(c.heads[i] + 1) + " is not in a model of " + std::to_string(layers) +
            " layers x " + std::to_string(heads) + " heads");
      out.push_back(c.layers[i] * heads + c.heads[i]);
    }
    break;
  case HeadChoice::Kind::Top: {
    if (headUas.size() != static_cast<size_t>(total))
      throw std::invalid_argument("top:K needs every head's UAS");
    std::vector<int64_t> order(static_cast<size_t>(total));
    std::iota(order.begin(), order.end(), 0);
    auto key = [&](int64_t h) {
      const double v = headUas[static_cast<size_t>(h)];
      return std::isnan(v) ? -1.0 : v;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return key(a) > key(b); });
    out.assign(order.begin(), order.begin() + static_cast<long>(c.count));
    break;
  }
  case HeadChoice::Kind::Random:
    out = randomHeadsExcept(c.count, total, {}, seed);
    break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace chrysalis::probes
