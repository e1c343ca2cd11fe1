#pragma once
// A small least-recently-used map: head grids keep the arrays of the steps
// around the cursor, so scrubbing back and forth does not reread files.
#include <QHash>

#include <list>
#include <utility>

namespace chrysalis::ui {

template <typename Key, typename Value> class LruCache {
public:
  explicit LruCache(int capacity) : m_capacity(capacity > 0 ? capacity : 1) {}

  /// @returns the value (and marks it most recent), or nullptr.
  const Value* get(const Key& key) {
    auto it = m_index.find(key);
    if (it == m_index.end()) return nullptr;
    m_order.splice(m_order.begin(), m_order, *it);
    return &m_order.front().second;
  }
  bool contains(const Key& key) const { return m_index.contains(key); }

  /// Inserts or replaces; evicts the least recently used entry when full.
  void put(const Key& key, Value value) {
    auto it = m_index.find(key);
    if (it != m_index.end()) {
      (*it)->second = std::move(value);
      m_order.splice(m_order.begin(), m_order, *it);
      return;
    }
    m_order.emplace_front(key, std::move(value));
    m_index.insert(key, m_order.begin());
    if (m_order.size() > static_cast<size_t>(m_capacity)) {
      m_index.remove(m_order.back().first);
      m_order.pop_back();
    }
  }

  /// Drops every entry for which pred(key) is true.
  template <typename Pred> void removeIf(Pred pred) {
    for (auto it = m_order.begin(); it != m_order.end();) {
      if (pred(it->first)) {
        m_index.remove(it->first);
        it = m_order.erase(it);
      } else {
        ++it;
      }
    }
  }

  int size() const { return static_cast<int>(m_order.size()); }
  int capacity() const { return m_capacity; }

private:
  using Entry = std::pair<Key, Value>;
  int m_capacity;
  std::list<Entry> m_order; // most recent first
  QHash<Key, typename std::list<Entry>::iterator> m_index;
};

} // namespace chrysalis::ui
