// Walking a group tree from a file that may be hostile: a hard-link cycle
// would loop forever and 2,000 nested groups take quadratic time (each path
// is resolved from the root), so the walk is bounded in depth and objects
// and visits each object once.
#include "common/error.h"
#include "format/h5.h"
#include "format/h5_checks.h"

#include <set>
#include <utility>

namespace chrysalis::h5 {

void walkGroup(const File& f, const std::string& root,
               const std::function<bool(const std::string& rel, bool isGroup)>& visit) {
  const hid_t file = f.handle.id();
  std::set<std::string> seen{checks::objectId(file, f.path, root, f.knownLinks.get()).key};
  std::vector<std::pair<std::string, int>> pending{{"", 0}}; // (relative path, depth)
  while (!pending.empty()) {
    const auto [rel, depth] = pending.back();
    pending.pop_back();
    for (const auto& name : listGroup(f, rel.empty() ? root : root + "/" + rel)) {
      const std::string child = rel.empty() ? name : rel + "/" + name;
      const std::string full = root + "/" + child;
      if (seen.size() >= kMaxWalkObjects)
        throw InputError(f.path, "group '" + root + "'",
                         "more than " + std::to_string(kMaxWalkObjects) + " objects");
      const auto id = checks::objectId(file, f.path, full, f.knownLinks.get());
      if (!seen.insert(id.key).second)
        throw InputError(f.path, "object '" + full + "'",
                         "reached twice (a hard-link cycle or a shared object): refused");
      if (!visit(child, id.isGroup) || !id.isGroup) continue;
      if (depth + 1 >= kMaxGroupDepth)
        throw InputError(f.path, "group '" + full + "'",
                         "groups nested deeper than " + std::to_string(kMaxGroupDepth));
      pending.emplace_back(child, depth + 1);
    }
  }
}

} // namespace chrysalis::h5
