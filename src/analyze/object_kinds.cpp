#include "analyze/object_kinds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

#include "analyze/imports.hpp"

namespace asyncsweep::analyze {

namespace {

using Kind = CodeToken::Kind;

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

// Annotations and isinstance() types that name a file object.
bool names_file_type(std::string_view word) {
  return one_of(word, {"IO", "BinaryIO", "TextIO", "IOBase", "RawIOBase", "BufferedIOBase", "TextIOBase",
                       "BufferedReader", "BufferedWriter", "BufferedRandom", "TextIOWrapper", "FileIO"});
}

// Calls that take a socket over and set it non-blocking: trio's from_stdlib_socket(sock) and
// asyncio's stream and transport factories given `sock=`.
bool takes_socket_over(std::string_view callee, bool keyword) {
  std::size_t dot = callee.rfind('.');
  std::string_view name = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
  if (!keyword) return name == "from_stdlib_socket";
  return one_of(name, {"open_connection", "open_unix_connection", "start_server", "start_unix_server",
                       "create_connection", "create_unix_connection", "create_server", "create_unix_server",
                       "connect_accepted_socket", "create_datagram_endpoint"});
}

}  // namespace

struct ObjectKinds::Impl {
  // What one function (or class, its methods merged) binds. Nested, not in the anonymous
  // namespace: a unity build warns about a named class holding anonymous types.
  struct Table {
    std::map<std::string, ObjectBinding, std::less<>> names;     // `sock`, `self._proc`
    std::map<std::string, std::uint32_t, std::less<>> nonblocking;  // receiver -> line set non-blocking
    std::map<std::string, std::pair<std::uint32_t, std::string>, std::less<>> handoffs;  // receiver -> (line, callee)
  };

  const python::LineModel& model;
  std::string_view text;
  const std::vector<ImportBinding>* given_imports;
  bool imports_read = false;
  std::map<std::string, std::string, std::less<>> imports;  // local name -> qualified name
  std::map<std::uint32_t, Table> functions;
  std::map<std::pair<std::uint32_t, std::string>, std::optional<ObjectBinding>> classes;  // (class, receiver)

  Impl(const python::LineModel& m, const std::vector<ImportBinding>* given)
      : model(m), text(m.source()), given_imports(given) {}

  // ---- tokens ----
  std::vector<CodeToken> tokens;  // of the function being read
  std::string_view at(std::size_t i) const {
    return i < tokens.size() ? text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin) : std::string_view{};
  }
  bool is_name(std::size_t i) const { return i < tokens.size() && tokens[i].kind == Kind::name; }
  std::uint32_t line_at(std::size_t i) const {
    return model.line_of(i < tokens.size() ? tokens[i].begin : text.size());
  }
  // Index of the bracket closing the one at `open` (or `end`).
  std::size_t closing(std::size_t open, std::size_t end) const {
    int depth = 0;
    for (std::size_t i = open; i < end; ++i) {
      std::string_view t = at(i);
      if (tokens[i].kind != Kind::op) continue;
      if (t == "(" || t == "[" || t == "{") ++depth;
      else if ((t == ")" || t == "]" || t == "}") && --depth == 0) return i;
    }
    return end;
  }
  // `name` or `self.name` from token i (advanced past it); empty otherwise.
  std::string receiver_at(std::size_t& i, std::size_t end) const {
    if (!is_name(i)) return {};
    if (at(i) == "self" && i + 2 < end && at(i + 1) == "." && is_name(i + 2)) {
      std::string r = fmt::format("self.{}", at(i + 2));
      i += 3;
      return r;
    }
    return std::string(at(i++));
  }
  std::string dotted(std::size_t& i, std::size_t end) const { return dotted_name(text, tokens, i, end); }
  std::string source_of(std::size_t b, std::size_t e) const {
    if (b >= e) return {};
    std::string out(text.substr(tokens[b].begin, tokens[e - 1].end - tokens[b].begin));
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
  }

  const std::string& qualify_into(const std::string& dotted_name, std::string& out) {
    if (!imports_read) {
      imports_read = true;
      const std::vector<ImportBinding> own =
          given_imports ? std::vector<ImportBinding>{} : ImportTable::imports_of(model);
      for (const ImportBinding& b : given_imports ? *given_imports : own)
        imports.emplace(b.local, b.qualified);
    }
    std::size_t dot = dotted_name.find('.');
    auto it = imports.find(std::string_view(dotted_name).substr(0, dot));
    out = it == imports.end() ? dotted_name
                              : it->second + (dot == std::string::npos ? std::string() : dotted_name.substr(dot));
    return out;
  }

  // ---- what an expression evaluates to ----
  ObjectBinding classify(std::size_t b, std::size_t e, const Table& table) {
    ObjectBinding out;
    if (b < e && at(b) == "await") ++b;  // `await aiofiles.open(...)`: still an async file
    if (b >= e || !is_name(b)) return out;
    out.line = line_at(b);
    std::size_t i = b;
    std::string head = dotted(i, e);
    std::size_t dot = head.rfind('.');
    std::string base = dot == std::string::npos ? std::string() : head.substr(0, dot);
    std::string_view method = dot == std::string::npos ? std::string_view(head) : std::string_view(head).substr(dot + 1);
    if (i >= e || at(i) != "(") {
      // A name, maybe joined with `/`: the binding it names.
      if (auto it = table.names.find(head); it != table.names.end()) {
        if (i < e && at(i) != "/") return out;
        out = it->second;
        out.origin = fmt::format("{} (as `{}`)", it->second.origin, head);
      }
      return out;
    }
    std::size_t close = closing(i, e);
    std::string args = source_of(i + 1, close);
    std::string q;
    qualify_into(head, q);
    const ObjectBinding* on = nullptr;
    if (auto it = table.names.find(base); !base.empty() && it != table.names.end()) on = &it->second;
    auto set = [&](ReceiverKind kind, std::string origin) {
      out.kind = kind;
      out.origin = std::move(origin);
    };
    if (one_of(q, {"socket.socket", "socket.socketpair", "socket.create_connection", "socket.fromfd",
                   "socket.create_server", "ssl.wrap_socket"})) {
      set(ReceiverKind::socket, fmt::format("created by {}()", q));
      out.datagram = args.find("SOCK_DGRAM") != std::string::npos;
    } else if (on != nullptr && on->kind == ReceiverKind::socket && method == "accept") {
      set(ReceiverKind::socket, fmt::format("returned by {}.accept()", base));
    } else if (method == "wrap_socket" && !base.empty()) {
      set(ReceiverKind::socket, fmt::format("created by {}.wrap_socket()", base));
    } else if (q == "subprocess.Popen") {
      set(ReceiverKind::popen, "created by subprocess.Popen()");
    } else if (one_of(q, {"open", "io.open", "builtins.open", "os.fdopen", "codecs.open", "tempfile.TemporaryFile",
                          "tempfile.NamedTemporaryFile"})) {
      set(ReceiverKind::file, fmt::format("opened by {}()", q));
      out.opened_here = true;
    } else if (q.starts_with("anyio.") || q.starts_with("trio.") || q.starts_with("aiofiles.")) {
      if (method == "Path" || method.find("open") != std::string_view::npos) {
        set(ReceiverKind::async_io, fmt::format("created by {}() (an async API)", q));
      }
    } else if (one_of(q, {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "Path", "PurePath"})) {
      set(ReceiverKind::path, fmt::format("created by {}()", q));
    } else if (one_of(q, {"io.BytesIO", "io.StringIO", "BytesIO", "StringIO"})) {
      set(ReceiverKind::memory, fmt::format("an in-memory {}()", q));
    } else if (one_of(q, {"tarfile.open", "tarfile.TarFile", "zipfile.ZipFile"})) {
      ObjectBinding inner = archive_source(i + 1, close, q == "zipfile.ZipFile", table);
      if (inner.kind == ReceiverKind::memory) {
        set(ReceiverKind::memory, fmt::format("a {}() archive on {}", q, inner.origin));
      }
    } else if (one_of(q, {"http.client.HTTPConnection", "http.client.HTTPSConnection"})) {
      set(ReceiverKind::http_connection, fmt::format("created by {}()", q));
    } else if (on != nullptr && on->kind == ReceiverKind::path && method == "open") {
      set(ReceiverKind::file, fmt::format("opened by {}.open()", base));
      out.opened_here = true;
    } else if (on != nullptr && on->kind == ReceiverKind::memory && one_of(method, {"open", "extractfile"})) {
      set(ReceiverKind::memory, fmt::format("a member of {} ({})", base, on->origin));
    }
    // Trailers on the call: `Path(p).open()`, `Path(p) / "x"`; any other method of the result
    // (`socket.socket().makefile()`, `Popen(...).wait()`) is something else.
    std::size_t next = close + 1;
    if (out.kind == ReceiverKind::path && next + 2 < e && at(next) == "." && at(next + 1) == "open" && at(next + 2) == "(") {
      set(ReceiverKind::file, fmt::format("opened by {}(...).open()", q));
      out.opened_here = true;
    } else if (next + 2 < e && at(next) == "." && at(next + 1) == "wrap_socket" && at(next + 2) == "(") {
      out = ObjectBinding{};
      out.line = line_at(b);
      set(ReceiverKind::socket, fmt::format("created by {}().wrap_socket()", q));
    } else if (next < e && at(next) == ".") {
      out = ObjectBinding{};
    }
    return out;
  }

  // The file object a tar/zip archive reads: `fileobj=` (either), else the first positional
  // argument (ZipFile).
  ObjectBinding archive_source(std::size_t b, std::size_t e, bool positional, const Table& table) {
    std::size_t item = b;
    bool first = true;
    for (std::size_t i = b; i <= e; ++i) {
      if (i < e && (at(i) == "(" || at(i) == "[" || at(i) == "{")) {
        i = closing(i, e);
        continue;
      }
      if (i < e && at(i) != ",") continue;
      if (item + 2 <= i && at(item) == "fileobj" && at(item + 1) == "=") return classify(item + 2, i, table);
      if (first && positional && !(item + 1 < i && at(item + 1) == "=")) return classify(item, i, table);
      first = false;
      item = i + 1;
    }
    return {};
  }

  // ---- one function ----
  void add(Table& table, const std::string& name, ObjectBinding binding) {
    if (name.empty() || binding.kind == ReceiverKind::unknown) return;
    table.names.emplace(name, std::move(binding));  // the first binding in the function wins
  }

  std::vector<std::string> targets(std::size_t b, std::size_t e) {
    std::vector<std::string> out;
    std::size_t i = b;
    while (i < e) {
      while (i < e && (at(i) == "(" || at(i) == "[")) ++i;
      std::size_t start = i;
      std::string r = receiver_at(i, e);
      while (i < e && (at(i) == ")" || at(i) == "]")) ++i;
      out.push_back(i == e || at(i) == "," ? r : std::string());
      while (i < e && at(i) != ",") ++i;
      ++i;
      if (i == start) break;
    }
    return out;
  }

  void parameters(const python::Scope& scope, std::size_t header_end, Table& table) {
    std::size_t open = 0;
    while (open < header_end && at(open) != "(") ++open;
    std::size_t close = closing(open, header_end);
    std::size_t item = open + 1;
    for (std::size_t i = open + 1; i <= close && i < tokens.size(); ++i) {
      if (i < close && (at(i) == "[" || at(i) == "(")) {
        i = closing(i, close);
        continue;
      }
      if (i < close && at(i) != ",") continue;
      std::size_t p = item;
      while (p < i && (at(p) == "*" || at(p) == "**")) ++p;
      if (p < i && is_name(p)) {
        std::string name(at(p));
        ObjectBinding b;
        b.line = line_at(p);
        if (p + 1 < i && at(p + 1) == ":") {
          std::size_t ann_end = p + 2;
          while (ann_end < i && at(ann_end) != "=") ++ann_end;
          for (std::size_t t = p + 2; t < ann_end; ++t) {
            if (is_name(t) && names_file_type(at(t))) {
              b.kind = ReceiverKind::file;
              b.origin = fmt::format("a parameter annotated `{}`", source_of(p + 2, ann_end));
              break;
            }
          }
        }
        if (b.kind == ReceiverKind::unknown && one_of(name, {"tmp_path", "tmpdir"}) && scope.name.starts_with("test")) {
          b.kind = ReceiverKind::path;
          b.origin = fmt::format("pytest's `{}` fixture", name);
        }
        add(table, name, std::move(b));
      }
      item = i + 1;
    }
  }

  // Blocking-mode changes and isinstance() checks anywhere in a statement.
  void statement_facts(std::size_t b, std::size_t e, Table& table) {
    for (std::size_t i = b; i < e; ++i) {
      std::string_view t = at(i);
      if ((t == "setblocking" || t == "settimeout") && i >= 2 && at(i - 1) == "." && i + 3 < e && at(i + 1) == "(" &&
          one_of(at(i + 2), {"False", "0", "0.0"}) && at(i + 3) == ")") {
        std::size_t r = i - 2;
        if (r >= 2 && at(r - 1) == "." && at(r - 2) == "self") r -= 2;
        std::size_t p = r;
        std::string rec = receiver_at(p, i);
        if (!rec.empty() && p == i - 1) table.nonblocking.emplace(rec, line_at(i));
      } else if ((t == "set_blocking" || t == "fcntl") && i + 1 < e && at(i + 1) == "(") {
        std::size_t close = closing(i + 1, e);
        std::string args = source_of(i + 2, close);
        bool off = t == "set_blocking" ? args.find("False") != std::string::npos : args.find("O_NONBLOCK") != std::string::npos;
        std::size_t p = i + 2;
        std::string rec = receiver_at(p, close);
        if (off && !rec.empty()) table.nonblocking.emplace(rec, line_at(i));
      } else if (is_name(i) && i + 1 < e && at(i + 1) == "(" && (i == b || at(i - 1) != "def")) {
        handoff(i, e, table);
      }
      if (t == "isinstance" && i + 1 < e && at(i + 1) == "(") {
        std::size_t close = closing(i + 1, e);
        std::size_t p = i + 2;
        std::string rec = receiver_at(p, close);
        if (rec.empty() || p >= close || at(p) != ",") continue;
        for (std::size_t k = p + 1; k < close; ++k) {
          if (is_name(k) && names_file_type(at(k))) {
            ObjectBinding binding;
            binding.kind = ReceiverKind::file;
            binding.line = line_at(i);
            binding.origin = fmt::format("checked with isinstance({}, {})", rec, source_of(p + 1, close));
            table.names[rec] = std::move(binding);  // narrower than what the name was bound to
            break;
          }
        }
      }
    }
  }

  // `callee(sock)` / `callee(..., sock=sock)` at token i: a socket taken over.
  void handoff(std::size_t i, std::size_t e, Table& table) {
    // Most calls are no takeover: the callee's last name tells, before its text is copied.
    if (!takes_socket_over(at(i), false) && !takes_socket_over(at(i), true)) return;
    std::size_t start = i;
    while (start >= 2 && at(start - 1) == "." && is_name(start - 2)) start -= 2;
    std::string callee = source_of(start, i + 1);
    std::size_t close = closing(i + 1, e);
    for (std::size_t k = i + 2; k < close; ++k) {
      bool keyword = at(k) == "sock" && at(k + 1) == "=";
      bool first = k == i + 2 && !(k + 1 < close && at(k + 1) == "=");
      if (!(keyword && takes_socket_over(callee, true)) && !(first && takes_socket_over(callee, false))) continue;
      std::size_t p = keyword ? k + 2 : k;
      std::string rec = receiver_at(p, close);
      if (!rec.empty() && (p == close || at(p) == "," || at(p) == ")")) {
        table.handoffs.emplace(rec, std::make_pair(line_at(i), callee + "()"));
      }
    }
  }

  void statement(std::size_t b, std::size_t e, Table& table) {
    statement_facts(b, e, table);
    std::size_t i = b;
    if (at(i) == "async") ++i;
    if (at(i) == "with") {
      // `with A(...) as a, B(...) as b:`
      std::size_t item = i + 1;
      for (std::size_t k = i + 1; k < e; ++k) {
        if (at(k) == "(" || at(k) == "[" || at(k) == "{") {
          k = closing(k, e);
          continue;
        }
        if (at(k) == "as") {
          std::size_t end = k + 1;
          while (end < e && at(end) != "," && at(end) != ":") ++end;
          std::size_t expr_begin = item < k && at(item) == "(" && closing(item, e) > k ? item + 1 : item;
          std::size_t p = k + 1;
          std::string target = receiver_at(p, end);
          if (p == end) add(table, target, classify(expr_begin, k, table));
          k = end;
          item = end + 1;
        } else if (at(k) == "," || at(k) == ":") {
          item = k + 1;
        }
      }
      return;
    }
    // `a, b = expr` / `self.x: T = expr`: the last top-level `=` splits targets from the value.
    std::size_t eq = e;
    std::size_t colon = e;
    for (std::size_t k = i; k < e; ++k) {
      std::string_view t = at(k);
      if (t == "(" || t == "[" || t == "{") {
        k = closing(k, e);
      } else if (t == "=" && tokens[k].kind == Kind::op) {
        eq = k;
      } else if (t == ":" && colon == e && eq == e) {
        colon = k;
      } else if (t == "lambda") {
        break;
      }
    }
    if (eq == e) return;
    std::size_t first_eq = i;
    while (first_eq < eq && at(first_eq) != "=") ++first_eq;
    std::vector<std::string> names = targets(i, std::min(first_eq, colon));
    ObjectBinding value = classify(eq + 1, e, table);
    if (value.kind == ReceiverKind::unknown) return;
    bool whole = value.origin.find("socketpair") != std::string::npos;
    for (std::size_t n = 0; n < names.size(); ++n) {
      // `a, b = socket.socketpair()`: both are sockets; `conn, addr = sock.accept()`: the first.
      if (names.size() == 1 || whole || n == 0) add(table, names[n], value);
    }
  }

  Table& function(std::uint32_t index) {
    if (auto it = functions.find(index); it != functions.end()) return it->second;
    Table& table = functions[index];
    const python::Scope& scope = model.scope(index);
    tokens = code_tokens(model, scope.keyword_offset, scope.end);
    std::size_t header_end = static_cast<std::size_t>(
        std::lower_bound(tokens.begin(), tokens.end(), scope.body_begin,
                         [](const CodeToken& t, std::size_t o) { return t.begin < o; }) -
        tokens.begin());
    parameters(scope, header_end, table);
    // Statements of nested defs and classes are theirs, not this function's.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> nested;
    for (std::uint32_t s = index + 1; s < model.scopes().size() && model.scope(s).begin < scope.end; ++s) {
      const python::Scope& inner = model.scope(s);
      if (inner.kind == python::ScopeKind::Lambda) continue;
      if (!nested.empty() && inner.begin < nested.back().second) continue;
      nested.emplace_back(inner.begin, inner.end);
    }
    auto in_nested = [&](std::uint32_t offset) {
      auto it = std::upper_bound(nested.begin(), nested.end(), offset,
                                 [](std::uint32_t o, const auto& r) { return o < r.first; });
      return it != nested.begin() && offset < std::prev(it)->second;
    };
    std::size_t b = header_end;
    for (std::size_t i = header_end; i <= tokens.size(); ++i) {
      if (i < tokens.size() && tokens[i].kind != Kind::newline && !(at(i) == ";")) continue;
      if (b < i && !in_nested(tokens[b].begin)) statement(b, i, table);
      b = i + 1;
    }
    for (auto& [name, binding] : table.names) {
      if (auto it = table.nonblocking.find(name); it != table.nonblocking.end()) binding.nonblocking_line = it->second;
      if (auto it = table.handoffs.find(name); it != table.handoffs.end()) {
        binding.handoff_line = it->second.first;
        binding.handoff = it->second.second;
      }
    }
    return table;
  }

  // What the class's methods bind `receiver` (`self._sock`) to: the first method (in the
  // file's order) that binds it, with the first non-blocking mark any method sets on it.
  // Only methods whose text holds the receiver's last name are read: a binding or a mark is
  // made of that name's token, and reading every method of a large class for each receiver
  // was a twentieth of a sweep of async-heavy code (27 M of 542 M instructions, the dense tree).
  const ObjectBinding* klass(std::uint32_t index, std::string_view receiver) {
    auto key = std::make_pair(index, std::string(receiver));
    if (auto it = classes.find(key); it != classes.end()) return it->second ? &*it->second : nullptr;
    const std::string_view last = receiver.substr(receiver.rfind('.') + 1);
    std::optional<ObjectBinding> found;
    std::uint32_t nonblocking_line = 0;
    for (std::uint32_t s = index + 1; s < model.scopes().size() && model.scope(s).begin < model.scope(index).end; ++s) {
      const python::Scope& method = model.scope(s);
      if (method.parent != index || (method.kind != python::ScopeKind::Function && method.kind != python::ScopeKind::AsyncFunction)) continue;
      if (text.substr(method.keyword_offset, method.end - method.keyword_offset).find(last) == std::string_view::npos)
        continue;
      Table& t = function(s);
      if (!found) {
        if (auto it = t.names.find(receiver); it != t.names.end()) {
          found = it->second;
          found->opened_here = false;  // opened by another method: reads here are the blocking calls
          found->origin = fmt::format("{} in {}()", found->origin, method.name);
        }
      }
      if (nonblocking_line == 0) {
        if (auto it = t.nonblocking.find(receiver); it != t.nonblocking.end()) nonblocking_line = it->second;
      }
    }
    if (found && nonblocking_line != 0) found->nonblocking_line = nonblocking_line;
    auto& slot = classes[std::move(key)] = std::move(found);
    return slot ? &*slot : nullptr;
  }
};

ObjectKinds::ObjectKinds(const python::LineModel& model, const std::vector<ImportBinding>* imports)
    : impl_(std::make_unique<Impl>(model, imports)) {}
ObjectKinds::~ObjectKinds() = default;

const ObjectBinding* ObjectKinds::lookup(std::uint32_t function, std::string_view receiver) {
  if (receiver.empty() || function == python::kNoScope) return nullptr;
  const python::LineModel& model = impl_->model;
  for (std::uint32_t s = function; s != python::kNoScope && s != 0; s = model.scope(s).parent) {
    const python::Scope& scope = model.scope(s);
    if (scope.kind == python::ScopeKind::Class) {
      if (!receiver.starts_with("self.")) continue;
      return impl_->klass(s, receiver);
    }
    if (scope.kind == python::ScopeKind::Lambda) continue;
    Impl::Table& table = impl_->function(s);
    if (auto it = table.names.find(receiver); it != table.names.end()) return &it->second;
  }
  return nullptr;
}

ObjectBinding ObjectKinds::classify_expression(std::uint32_t function, std::size_t begin, std::size_t end) {
  if (function == python::kNoScope || function == 0) return {};
  Impl::Table& table = impl_->function(function);
  impl_->tokens = code_tokens(impl_->model, begin, end);
  return impl_->classify(0, impl_->tokens.size(), table);
}

bool ObjectKinds::numeric_lookup(std::size_t open, bool name_info) const {
  std::string_view text = impl_->text;
  auto numeric = [&](std::string_view s) {
    bool host = s.find(name_info ? "NI_NUMERICHOST" : "AI_NUMERICHOST") != std::string_view::npos;
    return host && (!name_info || s.find("NI_NUMERICSERV") != std::string_view::npos);
  };
  int depth = 0;
  std::size_t end = open;
  for (; end < text.size() && end < open + 4096; ++end) {
    if (text[end] == '(') ++depth;
    else if (text[end] == ')' && --depth == 0) break;
  }
  std::string_view args = text.substr(open, end - open);
  if (numeric(args)) return true;
  // A module constant: `_NUMERIC_ONLY = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV`.
  for (std::size_t p = 0; p < args.size();) {
    if (!(std::isalpha(static_cast<unsigned char>(args[p])) || args[p] == '_')) {
      ++p;
      continue;
    }
    std::size_t q = p;
    while (q < args.size() && (std::isalnum(static_cast<unsigned char>(args[q])) || args[q] == '_')) ++q;
    std::string definition = fmt::format("{} =", args.substr(p, q - p));
    for (std::size_t at = text.find(definition); at != std::string_view::npos; at = text.find(definition, at + 1)) {
      if (at > 0 && text[at - 1] != '\n') continue;  // module level: at a line's start
      std::size_t line_end = text.find('\n', at + 1);
      if (numeric(text.substr(at, line_end == std::string_view::npos ? std::string_view::npos : line_end - at))) return true;
    }
    p = q;
  }
  return false;
}

ReceiverKind gated_method_kind(std::string_view method) {
  if (one_of(method, {"wait", "communicate"})) return ReceiverKind::popen;
  if (one_of(method, {"read", "readline", "readlines", "readinto", "write", "writelines"})) return ReceiverKind::file;
  if (method == "do_handshake") return ReceiverKind::socket;
  if (one_of(method, {"request", "getresponse"})) return ReceiverKind::http_connection;
  return ReceiverKind::unknown;
}

std::string_view to_string(ReceiverKind kind) {
  switch (kind) {
    case ReceiverKind::socket: return "socket";
    case ReceiverKind::popen: return "subprocess.Popen";
    case ReceiverKind::file: return "file object";
    case ReceiverKind::path: return "path";
    case ReceiverKind::memory: return "in-memory object";
    case ReceiverKind::async_io: return "async file/path object";
    case ReceiverKind::http_connection: return "http.client connection";
    case ReceiverKind::unknown: break;
  }
  return "unknown";
}

}  // namespace asyncsweep::analyze
