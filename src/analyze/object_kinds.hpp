// Local object-kind inference: what a name or `self.x` attribute was bound to, so that a
// method call can be judged by its receiver. `sock.recv()` blocks when `sock` came from
// socket.socket() in the same function and was never set non-blocking; `proc.wait()` blocks
// when `self._proc` is a subprocess.Popen assigned in another method of the class;
// `buf`-backed archives touch no file system.
//
// Read from the line model's code tokens, per function (its parameters and annotations, its
// assignments, `with ... as` targets, isinstance() checks and blocking-mode changes; nested
// defs and classes are their own functions) and per class (`self.x = ...` in any of its
// methods). Flow-insensitive on purpose: a name bound to a socket anywhere in the function is
// that socket everywhere in it, and one `setblocking(False)` on it anywhere makes it
// non-blocking. Names imported under another name are traced to the qualified name
// (`from socket import socketpair`, `import subprocess as sp`).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/imports.hpp"
#include "python/model.hpp"
#include "result/finding.hpp"

namespace asyncsweep::analyze {

struct ObjectBinding {
  ReceiverKind kind = ReceiverKind::unknown;
  std::uint32_t line = 0;          // where it was bound (the model's numbering)
  std::string origin;              // "created by socket.socketpair()", "a parameter annotated IO[bytes]"
  bool opened_here = false;        // a file object opened by this very function (its open() is the site)
  bool datagram = false;           // a SOCK_DGRAM socket: connect() only records the peer
  std::uint32_t nonblocking_line = 0;  // setblocking(False)/settimeout(0)/O_NONBLOCK on it (0: never)
  // Handed to a transport that makes it non-blocking (trio's from_stdlib_socket(),
  // asyncio's open_connection(sock=...)): calls after this line are on a non-blocking socket.
  std::uint32_t handoff_line = 0;
  std::string handoff;                 // "tsocket.from_stdlib_socket()"
};

// The kinds of a file's objects, inferred lazily, one function or class at a time.
class ObjectKinds {
 public:
  // `model` (and `imports`, the model's ImportTable::imports_of when the caller has read
  // them) must outlive this object.
  explicit ObjectKinds(const python::LineModel& model,
                       const std::vector<ImportBinding>* imports = nullptr);
  ~ObjectKinds();
  ObjectKinds(const ObjectKinds&) = delete;
  ObjectKinds& operator=(const ObjectKinds&) = delete;

  // What `receiver` (`sock`, `self._proc`) is inside function scope `function`; nullptr when
  // nothing binds it to a known kind there.
  const ObjectBinding* lookup(std::uint32_t function, std::string_view receiver);

  // The kind an expression written in `function` evaluates to (`io.BytesIO(data)`, `buf`,
  // `Path(p) / "x"`), for arguments such as tarfile.open(fileobj=...).
  ObjectBinding classify_expression(std::uint32_t function, std::size_t begin, std::size_t end);

  // Whether the call whose "(" is at `open` passes numeric-only lookup flags
  // (AI_NUMERICHOST, or NI_NUMERICHOST with NI_NUMERICSERV), directly or through a
  // module-level constant: the resolver then does no lookup at all.
  bool numeric_lookup(std::size_t open, bool name_info) const;


 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Methods whose calls are candidates only on a receiver of a known kind: `.wait(` is
// Popen.wait on a Popen and asyncio.Event.wait elsewhere. unknown when `method` is not one.
ReceiverKind gated_method_kind(std::string_view method);

// "socket", "subprocess.Popen", ... for reasons.
std::string_view to_string(ReceiverKind kind);

}  // namespace asyncsweep::analyze
