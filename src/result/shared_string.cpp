#include "result/shared_string.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

namespace asyncsweep {

SharedString::SharedString(std::string_view text) {
  if (text.empty()) return;  // no block: empty() is a null test
  if (text.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("SharedString");
  void* memory = ::operator new(sizeof(Block) + text.size() + 1);
  block_ = new (memory) Block{{1}, static_cast<std::uint32_t>(text.size())};
  char* out = reinterpret_cast<char*>(block_ + 1);
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';  // c_str()
}

void SharedString::release() noexcept {
  if (block_ == nullptr || block_->references.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  block_->~Block();
  ::operator delete(block_);
  block_ = nullptr;
}

std::string SharedString::concat(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size() + b.size());
  out.append(a).append(b);
  return out;
}

std::size_t SharedStringPool::Hash::operator()(const SharedString& s) const noexcept {
  return std::hash<std::string_view>()(s.view());
}

void SharedStringPool::intern(SharedString& text) {
  if (text.empty()) return;
  auto [it, fresh] = strings_.insert(text);
  if (!fresh) {
    text = *it;
  } else if (strings_.size() > kLimit) {
    strings_.clear();
  }
}

}  // namespace asyncsweep
