#include "sweep/shard.hpp"


namespace asyncsweep::sweep {

std::string_view strip_dot_slash(std::string_view path) {
  while (path.size() >= 2 && path[0] == '.' && path[1] == '/') {
    path.remove_prefix(2);
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  }
  return path;
}

std::string_view shard_key(const walk::FileEntry& entry) {
  return entry.explicit_arg ? strip_dot_slash(entry.path) : entry.relative;
}

}  // namespace asyncsweep::sweep
