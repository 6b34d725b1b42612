// What the CPU running the sweep can execute, for the kernels that choose AVX2 at run time
// (the literal pass, the Python structure pass): the binary itself is built for baseline x86-64.
#pragma once

namespace asyncsweep::simd {

inline bool cpu_has_avx2() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

}  // namespace asyncsweep::simd
