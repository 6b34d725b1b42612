#include "result/reasons.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace asyncsweep {

namespace {

constexpr std::size_t kLengthBytes = sizeof(std::uint32_t);

std::uint32_t length_at(const char* at) {
  std::uint32_t length = 0;
  std::memcpy(&length, at, kLengthBytes);
  return length;
}

}  // namespace

std::string_view Reasons::Iterator::operator*() const { return {at_ + kLengthBytes, length_at(at_)}; }

Reasons::Iterator& Reasons::Iterator::operator++() {
  at_ += kLengthBytes + length_at(at_);
  return *this;
}

Reasons::Reasons(std::initializer_list<std::string_view> reasons) {
  for (std::string_view reason : reasons) push_back(reason);
}

Reasons::Reasons(const std::vector<std::string>& reasons) {
  for (const std::string& reason : reasons) push_back(reason);
}

void Reasons::push_back(std::string_view reason) {
  const auto length = static_cast<std::uint32_t>(reason.size());
  char prefix[kLengthBytes];
  std::memcpy(prefix, &length, kLengthBytes);
  std::string bytes;
  bytes.reserve(bytes_.size() + kLengthBytes + reason.size());
  bytes.append(bytes_.view()).append(prefix, kLengthBytes).append(reason);
  bytes_ = SharedString(bytes);
}

std::string_view Reasons::operator[](std::size_t index) const {
  Iterator it = begin();
  std::advance(it, static_cast<std::ptrdiff_t>(index));
  return *it;
}

std::string_view Reasons::at(std::size_t index) const {
  if (index >= size()) throw std::out_of_range("Reasons::at");
  return (*this)[index];
}

bool operator==(const Reasons& reasons, const std::vector<std::string>& list) {
  return reasons.size() == list.size() && std::equal(list.begin(), list.end(), reasons.begin());
}

}  // namespace asyncsweep
