#include "sweep/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace asyncsweep::sweep {

Progress::Progress(bool enabled, int first_delay_ms, const ProgressCounters& counters)
    : counters_(counters), first_delay_ms_(first_delay_ms) {
  if (enabled) thread_ = std::thread([this] { loop(); });
}

Progress::~Progress() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Progress::loop() {
  auto start = std::chrono::steady_clock::now();
  bool printed = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(printed ? 200 : first_delay_ms_),
                         [this] { return done_; })) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double mb = static_cast<double>(counters_.bytes.load(std::memory_order_relaxed)) / 1e6;
    std::string line =
        fmt::format("\r\x1b[Kasyncsweep: {} files, {:.1f} MB, {:.0f} MB/s",
                    counters_.files.load(std::memory_order_relaxed), mb, mb / seconds);
    if (::write(STDERR_FILENO, line.data(), line.size()) < 0) return;
    printed = true;
  }
  if (printed && ::write(STDERR_FILENO, "\r\x1b[K", 4) < 0) return;
}

}  // namespace asyncsweep::sweep
