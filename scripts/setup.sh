# Shared by scripts/sweep and scripts/test: install what is missing, then configure and build.
# Sourced, not run. Quiet when everything is already present.

ASYNCSWEEP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the build and the tests need (all from Debian, nothing else).
ASYNCSWEEP_PACKAGES=(
  g++ cmake ninja-build pkg-config git
  libpcre2-dev libtbb-dev libcli11-dev libfmt-dev catch2 libtomlplusplus-dev nlohmann-json3-dev
  ripgrep python3
)

# Debian's interpreter: the one the python3-* packages are installed for, and whose standard
# library the tests and the profile-guided build sweep. Not whatever `python3` is first on PATH
# (a pyenv or venv one has neither the packages nor, often, the test suite).
ASYNCSWEEP_PYTHON=/usr/bin/python3

# The standard library of ASYNCSWEEP_PYTHON, wherever this Debian release puts it.
asyncsweep_stdlib() {
  "$ASYNCSWEEP_PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'
}

asyncsweep_install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "asyncsweep setup: missing Debian packages (${missing[*]}) and not root; install them and retry" >&2
      return 1
    fi
  fi
  echo "asyncsweep setup: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# asyncsweep_build BUILD_DIR [extra cmake args...]
asyncsweep_build() {
  local dir="$1"
  shift
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$ASYNCSWEEP_ROOT" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null || return 1
  else
    cmake "$dir" "$@" >/dev/null || return 1
  fi
  cmake --build "$dir" --parallel "$(nproc)" -- "${ASYNCSWEEP_BUILD_ARGS[@]}" >"$dir/build.log" 2>&1 || {
    cat "$dir/build.log" >&2
    return 1
  }
}

# True when the C++ compiler CMake will pick is GCC (profile-guided builds use GCC's flags).
asyncsweep_compiler_is_gcc() {
  local defines
  defines="$("${CXX:-c++}" -dM -E -x c++ /dev/null 2>/dev/null)" || return 1
  ! grep -q __clang__ <<<"$defines" && grep -q __GNUC__ <<<"$defines"
}

# asyncsweep_build_release DIR: the binary scripts/sweep and bench/run use. With GCC it is a
# profile-guided build: an instrumented binary (DIR-profile) sweeps this machine's Python
# standard library, and DIR is compiled with that profile; the line model and the literal
# pass are branchy code, and this takes about a tenth off a sweep's CPU time. The profile is
# made again when the instrumented binary changes. ASYNCSWEEP_PGO=0: a plain Release build.
asyncsweep_build_release() {
  local dir="$1"
  if [ "${ASYNCSWEEP_PGO:-1}" = 0 ] || ! asyncsweep_compiler_is_gcc; then
    asyncsweep_build "$dir" -DASYNCSWEEP_BUILD_TESTS=OFF -DASYNCSWEEP_UNITY=ON -DCMAKE_CXX_FLAGS=
    return
  fi
  local instrumented="$dir-profile"
  local profile="$instrumented/profile"
  asyncsweep_build "$instrumented" -DASYNCSWEEP_BUILD_TESTS=OFF -DASYNCSWEEP_UNITY=ON \
    "-DCMAKE_CXX_FLAGS=-fprofile-generate=$profile -fprofile-prefix-path=$instrumented -fprofile-update=atomic" ||
    return 1
  if [ ! -f "$profile/trained" ] || [ "$instrumented/asyncsweep" -nt "$profile/trained" ]; then
    echo "asyncsweep setup: profile-guided build (about five minutes on two cores, once; ASYNCSWEEP_PGO=0 skips it)" >&2
    rm -rf "$profile"
    mkdir -p "$profile"
    local stdlib args
    stdlib="$(asyncsweep_stdlib)" || return 1
    # What users run: the ranked sweep, the document's exact rules, text output, the inventory.
    # Exit code 1 only says there were findings.
    for args in "--format json" "--format json --seed-exact" "--format text --min-score 0" "inventory --format json"; do
      # shellcheck disable=SC2086  # the words of $args are separate arguments
      "$instrumented/asyncsweep" $args -- "$stdlib" >/dev/null 2>&1 || [ $? -eq 1 ] || return 1
    done
    touch "$profile/trained"
    # Objects compiled with the old profile are stale, and the build files do not know it.
    [ -f "$dir/CMakeCache.txt" ] && { cmake --build "$dir" --target clean >/dev/null 2>&1 || true; }
  fi
  asyncsweep_build "$dir" -DASYNCSWEEP_BUILD_TESTS=OFF -DASYNCSWEEP_UNITY=ON \
    "-DCMAKE_CXX_FLAGS=-fprofile-use=$profile -fprofile-prefix-path=$dir -fprofile-partial-training -Wno-coverage-mismatch"
}
