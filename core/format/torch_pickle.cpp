#include "format/torch_pickle.h"

#include "common/error.h"

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <variant>

namespace chrysalis::format {

namespace {

constexpr size_t kMaxStack = 1'000'000;
constexpr size_t kMaxMemo = 1'000'000;
constexpr size_t kMaxRank = 8;
constexpr size_t kMaxValues = 20'000'000;

struct Value;
using ValuePtr = Value*; // owned by the Unpickler's arena: cycles cannot leak

struct Global {
  std::string module, name;
};
struct Storage {
  std::string key;
  DType dtype;
  uint64_t numel;
};
struct Tensor {
  std::shared_ptr<const Storage> storage;
  uint64_t offset;
  std::vector<int64_t> shape;
};
struct Tuple {
  std::vector<ValuePtr> items;
};
struct List {
  std::vector<ValuePtr> items;
};
struct Dict {
  std::vector<std::pair<ValuePtr, ValuePtr>> items;
};
struct Mark {};

struct Value {
  std::variant<std::monostate, bool, int64_t, double, std::string, Global, Storage, Tensor, Tuple,
               List, Dict, Mark>
      v;
};

std::optional<DType> storageDType(const std::string& name) {
  static const std::map<std::string, DType> types{
      {"FloatStorage", DType::F32},  {"HalfStorage", DType::F16}, {"BFloat16Storage", DType::BF16},
      {"DoubleStorage", DType::F64}, {"LongStorage", DType::I64}, {"IntStorage", DType::I32},
      {"ShortStorage", DType::I16},  {"CharStorage", DType::I8},  {"ByteStorage", DType::U8},
      {"BoolStorage", DType::Bool}};
  auto it = types.find(name);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

bool allowedGlobal(const Global& g) {
  if (g.module == "collections" && g.name == "OrderedDict") return true;
  if (g.module == "torch._utils" &&
      (g.name == "_rebuild_tensor_v2" || g.name == "_rebuild_parameter"))
    return true;
  return g.module == "torch" && storageDType(g.name).has_value();
}

class Unpickler {
public:
  Unpickler(std::string_view data, const std::string& file) : m_data(data), m_file(file) {}

  template <class T> ValuePtr make(T x) {
    if (m_arena.size() >= kMaxValues) fail("pickle holds too many values");
    m_arena.emplace_back();
    m_arena.back().v = std::move(x);
    return &m_arena.back();
  }

  ValuePtr run() {
    while (true) {
      m_op = m_at;
      const unsigned char op = byte();
      switch (op) {
      case 0x80:
        byte();
        break; // PROTO
      case 0x95:
        bytes(8);
        break; // FRAME (a size hint)
      case '.':
        return pop(); // STOP
      case '(':
        push(make(Mark{}));
        break;
      case ')':
        push(make(Tuple{}));
        break;
      case ']':
        push(make(List{}));
        break;
      case '}':
        push(make(Dict{}));
        break;
      case 'N':
        push(make(std::monostate{}));
        break;
      case 0x88:
        push(make(true));
        break;
      case 0x89:
        push(make(false));
        break;
      case 'K':
        push(make(static_cast<int64_t>(uint(1))));
        break;
      case 'M':
        push(make(static_cast<int64_t>(uint(2))));
        break;
      case 'J':
        push(make(static_cast<int64_t>(static_cast<int32_t>(uint(4)))));
        break;
      case 0x8a:
        push(make(long1()));
        break;
      case 'G':
        push(make(binfloat()));
        break;
      case 'X':
        push(make(std::string(bytes(uint(4)))));
        break;
      case 0x8c:
        push(make(std::string(bytes(uint(1)))));
        break;
      case 'U':
        push(make(std::string(bytes(uint(1)))));
        break;
      case 'T':
        push(make(std::string(bytes(uint(4)))));
        break;
      case 'c': {
        Global g{line(), line()};
        push(make(std::move(g)));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        auto name = str(pop()), module = str(pop());
        push(make(Global{module, name}));
        break;
      }
      case 'q':
        memoPut(uint(1));
        break;
      case 'r':
        memoPut(uint(4));
        break;
      case 0x94:
        memoPut(m_memo.size());
        break;
      case 'h':
        memoGet(uint(1));
        break;
      case 'j':
        memoGet(uint(4));
        break;
      case 0x85:
        tupleOf(1);
        break;
      case 0x86:
        tupleOf(2);
        break;
      case 0x87:
        tupleOf(3);
        break;
      case 't':
        push(make(Tuple{popToMark()}));
        break;
      case 'l':
        push(make(List{popToMark()}));
        break;
      case 'a': {
        auto v = pop();
        topAs<List>("APPEND").items.push_back(std::move(v));
        break;
      }
      case 'e': {
        auto items = popToMark();
        auto& list = topAs<List>("APPENDS").items;
        list.insert(list.end(), items.begin(), items.end());
        break;
      }
      case 's': {
        auto v = pop(), k = pop();
        topAs<Dict>("SETITEM").items.emplace_back(std::move(k), std::move(v));
        break;
      }
      case 'u': {
        auto items = popToMark();
        if (items.size() % 2) fail("SETITEMS with an odd number of items");
        auto& d = topAs<Dict>("SETITEMS").items;
        for (size_t i = 0; i < items.size(); i += 2)
          d.emplace_back(items[i], items[i + 1]);
        break;
      }
      case 'Q':
        push(persistent(pop()));
        break; // BINPERSID
      case 'R': {
        auto args = pop();
        auto fn = pop();
        push(reduce(*fn, *args));
        break;
      }
      case 'b': { // BUILD: only a state dict's _metadata on an OrderedDict
        auto state = pop();
        if (!std::holds_alternative<Dict>(top()->v))
          fail("BUILD on something other than an OrderedDict");
        if (!std::holds_alternative<Dict>(state->v) &&
            !std::holds_alternative<std::monostate>(state->v))
          fail("BUILD with an unexpected state");
        break;
      }
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("pickle opcode ") + hex + " is not allowed in a state dict");
      }
      }
    }
  }

private:
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(m_file, "data.pkl offset " + std::to_string(m_op), why);
  }
  unsigned char byte() {
    if (m_at >= m_data.size()) fail("pickle ends early (truncated?)");
    return static_cast<unsigned char>(m_data[m_at++]);
  }
  std::string_view bytes(uint64_t n) {
    if (n > m_data.size() - m_at) fail("pickle ends early (truncated?)");
    auto s = m_data.substr(m_at, n);
    m_at += n;
    return s;
  }
  uint64_t uint(int n) {
    auto b = bytes(static_cast<uint64_t>(n));
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
    return v;
  }
  int64_t long1() {
    const uint64_t n = uint(1);
    if (n > 8) fail("integer wider than 64 bits");
    if (n == 0) return 0;
    auto b = bytes(n);
    uint64_t v = 0;
    for (int i = static_cast<int>(n) - 1; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
    if (n < 8 && (static_cast<unsigned char>(b[n - 1]) & 0x80)) v |= ~uint64_t{0} << (8 * n);
    return static_cast<int64_t>(v);
  }
  double binfloat() {
    auto b = bytes(8); // big-endian IEEE 754
    uint64_t v = 0;
    for (char c : b)
      v = (v << 8) | static_cast<unsigned char>(c);
    double d;
    std::memcpy(&d, &v, 8);
    return d;
  }
  std::string line() {
    auto end = m_data.find('\n', m_at);
    if (end == std::string_view::npos || end - m_at > 256) fail("bad GLOBAL name");
    std::string s(m_data.substr(m_at, end - m_at));
    m_at = end + 1;
    return s;
  }
  void push(ValuePtr v) {
    if (m_stack.size() >= kMaxStack) fail("pickle stack too deep");
    m_stack.push_back(std::move(v));
  }
  ValuePtr pop() {
    if (m_stack.empty() || std::holds_alternative<Mark>(m_stack.back()->v))
      fail("pickle stack underflow");
    auto v = m_stack.back();
    m_stack.pop_back();
    return v;
  }
  ValuePtr top() {
    if (m_stack.empty()) fail("pickle stack underflow");
    return m_stack.back();
  }
  // The value on top of the stack, changed in place (as Python does).
  template <class T> T& topAs(const char* op) {
    auto* v = top();
    if (!std::holds_alternative<T>(v->v)) fail(std::string(op) + " on the wrong kind of value");
    return std::get<T>(v->v);
  }
  std::vector<ValuePtr> popToMark() {
    size_t i = m_stack.size();
    while (i > 0 && !std::holds_alternative<Mark>(m_stack[i - 1]->v))
      --i;
    if (i == 0) fail("no MARK on the pickle stack");
    std::vector<ValuePtr> items(m_stack.begin() + static_cast<long>(i), m_stack.end());
    m_stack.resize(i - 1);
    return items;
  }
  void tupleOf(size_t n) {
    std::vector<ValuePtr> items(n);
    for (size_t i = n; i > 0; --i)
      items[i - 1] = pop();
    push(make(Tuple{std::move(items)}));
  }
  void memoPut(uint64_t index) {
    if (index >= kMaxMemo) fail("pickle memo index too large");
    m_memo[index] = top();
  }
  void memoGet(uint64_t index) {
    auto it = m_memo.find(index);
    if (it == m_memo.end()) fail("pickle memo index " + std::to_string(index) + " unset");
    push(it->second);
  }
  static const std::string& str(const ValuePtr& v, const Unpickler& u, const char* what) {
    if (!std::holds_alternative<std::string>(v->v))
      u.fail(std::string(what) + ": expected a string");
    return std::get<std::string>(v->v);
  }
  std::string str(const ValuePtr& v) const { return str(v, *this, "STACK_GLOBAL"); }
  int64_t integer(const ValuePtr& v, const char* what) const {
    if (!std::holds_alternative<int64_t>(v->v)) fail(std::string(what) + ": expected an integer");
    return std::get<int64_t>(v->v);
  }
  std::vector<int64_t> ints(const ValuePtr& v, const char* what) const {
    if (!std::holds_alternative<Tuple>(v->v)) fail(std::string(what) + ": expected a tuple");
    std::vector<int64_t> out;
    for (const auto& x : std::get<Tuple>(v->v).items)
      out.push_back(integer(x, what));
    return out;
  }

  // ('storage', torch.XStorage, key, location, numel) -> a storage reference.
  ValuePtr persistent(const ValuePtr& pid) {
    if (!std::holds_alternative<Tuple>(pid->v)) fail("persistent id is not a tuple");
    const auto& t = std::get<Tuple>(pid->v).items;
    if (t.size() != 5 || !std::holds_alternative<std::string>(t[0]->v) ||
        std::get<std::string>(t[0]->v) != "storage" || !std::holds_alternative<Global>(t[1]->v))
      fail("persistent id is not a PyTorch storage");
    const auto& type = std::get<Global>(t[1]->v);
    auto dtype = type.module == "torch" ? storageDType(type.name) : std::nullopt;
    if (!dtype) fail("storage type '" + type.module + "." + type.name + "' is not supported");
    const int64_t numel = integer(t[4], "storage size");
    if (numel < 0) fail("negative storage size");
    return make(Storage{str(t[2], *this, "storage key"), *dtype, static_cast<uint64_t>(numel)});
  }

  ValuePtr reduce(const Value& fn, const Value& argsValue) {
    if (!std::holds_alternative<Global>(fn.v)) fail("REDUCE of something that is not a global");
    const auto& g = std::get<Global>(fn.v);
    if (!allowedGlobal(g))
      fail("refusing global '" + g.module + "." + g.name +
           "': only tensors and plain containers are read, never code");
    if (!std::holds_alternative<Tuple>(argsValue.v)) fail("REDUCE arguments are not a tuple");
    const auto& args = std::get<Tuple>(argsValue.v).items;
    if (g.name == "OrderedDict") {
      if (!args.empty()) fail("OrderedDict with arguments");
      return make(Dict{});
    }
    if (g.name == "_rebuild_parameter") {
      if (args.empty() || !std::holds_alternative<Tensor>(args[0]->v))
        fail("_rebuild_parameter without a tensor");
      return args[0];
    }
    if (g.module != "torch._utils" || args.size() < 4)
      fail("'" + g.module + "." + g.name + "' cannot be called here");
    if (!std::holds_alternative<Storage>(args[0]->v)) fail("tensor without a storage");
    auto storage = std::make_shared<const Storage>(std::get<Storage>(args[0]->v));
    const int64_t offset = integer(args[1], "storage offset");
    auto shape = ints(args[2], "tensor size");
    auto stride = ints(args[3], "tensor stride");
    if (offset < 0 || shape.size() != stride.size() || shape.size() > kMaxRank)
      fail("bad tensor geometry");
    uint64_t count = 1;
    int64_t expected = 1;
    for (size_t i = shape.size(); i > 0; --i) {
      const int64_t n = shape[i - 1];
      if (n < 0 || (n > 0 && count > (uint64_t{1} << 48) / static_cast<uint64_t>(n)))
        fail("bad tensor size");
      if (n != 1 && stride[i - 1] != expected)
        fail("tensor is not contiguous (save it with .contiguous())");
      count *= static_cast<uint64_t>(n);
      expected *= n;
    }
    if (static_cast<uint64_t>(offset) > storage->numel || count > storage->numel - offset)
      fail("tensor runs past its storage");
    return make(Tensor{storage, static_cast<uint64_t>(offset), std::move(shape)});
  }

  std::string_view m_data;
  const std::string& m_file;
  size_t m_at = 0, m_op = 0;
  std::vector<ValuePtr> m_stack;
  std::map<uint64_t, ValuePtr> m_memo;
  std::deque<Value> m_arena;
};

} // namespace

uint64_t TorchTensorRef::elementCount() const {
  uint64_t n = 1;
  for (auto d : shape)
    n *= static_cast<uint64_t>(d);
  return n;
}

std::vector<TorchTensorRef> parseTorchStateDict(std::string_view pickle, const std::string& file) {
  Unpickler u(pickle, file);
  auto root = u.run();
  if (!std::holds_alternative<Dict>(root->v))
    throw InputError(file, "data.pkl", "not a state dict (the pickle is not a dict of tensors)");
  std::vector<TorchTensorRef> out;
  for (const auto& [k, v] : std::get<Dict>(root->v).items) {
    if (!std::holds_alternative<std::string>(k->v))
      throw InputError(file, "data.pkl", "a state dict key is not a string");
    const auto& name = std::get<std::string>(k->v);
    if (!std::holds_alternative<Tensor>(v->v))
      throw InputError(file, "data.pkl key '" + name + "'",
                       "not a tensor (a full training checkpoint? save model.state_dict())");
    const auto& t = std::get<Tensor>(v->v);
    out.push_back({name, t.storage->key, t.storage->dtype, t.storage->numel, t.offset, t.shape});
  }
  return out;
}

} // namespace chrysalis::format
