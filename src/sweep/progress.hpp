// The progress line of a long sweep: "files, MB, MB/s" on stderr, redrawn every 200 ms by a
// thread of its own from counters the sweep's threads bump.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace asyncsweep::sweep {

// Shared counters for the progress line; relaxed atomics, touched only when progress is on.
struct ProgressCounters {
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::uint64_t> bytes{0};
};

// Draws the line while it lives and clears it when destroyed. Only when asked (stderr is a
// terminal and not CI): never in pipes or logs. Quiet for the first `first_delay_ms`, so that
// short sweeps never flicker. `counters` must outlive it.
class Progress {
 public:
  Progress(bool enabled, int first_delay_ms, const ProgressCounters& counters);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  void loop();

  const ProgressCounters& counters_;
  int first_delay_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace asyncsweep::sweep
