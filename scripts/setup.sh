# Shared by scripts/sweep and scripts/test: install what is missing, then configure and build.
# Sourced, not run. Quiet when everything is already present.

ASYNCSWEEP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the build and the tests need (all from Debian, nothing else).
ASYNCSWEEP_PACKAGES=(
  g++ cmake ninja-build pkg-config git
  libpcre2-dev libtbb-dev libcli11-dev libfmt-dev catch2 libtomlplusplus-dev nlohmann-json3-dev
  ripgrep python3
)

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
