// Object-kind inference as a unit: each binding form, the blocking-mode changes, self.x
// attributes across methods, and what stays unknown.
#include "analyze/object_kinds.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "python/model.hpp"

using namespace asyncsweep;

namespace {

std::uint32_t scope_named(const python::LineModel& model, std::string_view name) {
  for (std::uint32_t i = 0; i < model.scopes().size(); ++i) {
    if (model.scope(i).name == name) return i;
  }
  FAIL("no scope " << name);
  return 0;
}

struct Probe {
  std::string source;
  python::LineModel model = python::LineModel::build(source);
  analyze::ObjectKinds kinds{model};
  explicit Probe(std::string s) : source(std::move(s)) {}
  const analyze::ObjectBinding* in(std::string_view function, std::string_view receiver) {
    return kinds.lookup(scope_named(model, function), receiver);
  }
  ReceiverKind kind(std::string_view function, std::string_view receiver) {
    const auto* b = in(function, receiver);
    return b == nullptr ? ReceiverKind::unknown : b->kind;
  }
};

}  // namespace

TEST_CASE("sockets: constructors, tuple unpacking, accept() and the blocking mode", "[object_kinds]") {
  Probe p(
      "import socket\n"
      "from socket import socketpair as pair\n"
      "async def serve(addr):\n"
      "    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
      "    a, b = pair()\n"
      "    conn, peer = listener.accept()\n"
      "    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
      "    quiet = socket.create_connection(addr)\n"
      "    quiet.setblocking(False)\n"
      "    timed = socket.socket()\n"
      "    timed.settimeout(0)\n"
      "    other = make_socket()\n");
  const auto* listener = p.in("serve", "listener");
  REQUIRE(listener != nullptr);
  CHECK(listener->kind == ReceiverKind::socket);
  CHECK(listener->origin == "created by socket.socket()");
  CHECK(listener->line == 4);
  CHECK(listener->nonblocking_line == 0);
  CHECK(p.kind("serve", "a") == ReceiverKind::socket);
  CHECK(p.kind("serve", "b") == ReceiverKind::socket);
  CHECK(p.in("serve", "a")->origin == "created by socket.socketpair()");
  CHECK(p.kind("serve", "conn") == ReceiverKind::socket);
  CHECK(p.kind("serve", "peer") == ReceiverKind::unknown);  // the address, not a socket
  CHECK(p.in("serve", "udp")->datagram);
  CHECK_FALSE(listener->datagram);
  CHECK(p.in("serve", "quiet")->nonblocking_line == 9);
  CHECK(p.in("serve", "timed")->nonblocking_line == 11);
  CHECK(p.kind("serve", "other") == ReceiverKind::unknown);
}

TEST_CASE("os.set_blocking and fcntl O_NONBLOCK make a socket non-blocking", "[object_kinds]") {
  Probe p(
      "async def f():\n"
      "    s = socket.socket()\n"
      "    os.set_blocking(s.fileno(), False)\n"
      "    t = socket.socket()\n"
      "    fcntl.fcntl(t, fcntl.F_SETFL, flags | os.O_NONBLOCK)\n"
      "    u = socket.socket()\n"
      "    os.set_blocking(u.fileno(), True)\n");
  CHECK(p.in("f", "s")->nonblocking_line == 3);
  CHECK(p.in("f", "t")->nonblocking_line == 5);
  CHECK(p.in("f", "u")->nonblocking_line == 0);
}

TEST_CASE("a socket handed to a transport that makes it non-blocking", "[object_kinds]") {
  Probe p(
      "async def f(loop):\n"
      "    a, b = socket.socketpair()\n"
      "    ta = trio.socket.from_stdlib_socket(a)\n"
      "    reader, writer = await asyncio.open_connection(sock=b)\n"
      "    c = socket.socket()\n"
      "    await asyncio.open_connection(c)\n");
  CHECK(p.in("f", "a")->handoff_line == 3);
  CHECK(p.in("f", "a")->handoff == "trio.socket.from_stdlib_socket()");
  CHECK(p.in("f", "b")->handoff_line == 4);
  CHECK(p.in("f", "b")->handoff == "asyncio.open_connection()");
  CHECK(p.in("f", "c")->handoff_line == 0);  // a host, not `sock=`
}

TEST_CASE("self attributes are bound in any method of the class", "[object_kinds]") {
  Probe p(
      "import subprocess as sp\n"
      "class Runner:\n"
      "    def __init__(self, cmd):\n"
      "        self._proc = sp.Popen(cmd)\n"
      "        self._log = open('log.txt', 'a')\n"
      "    async def stop(self):\n"
      "        self._proc.wait()\n"
      "class Other:\n"
      "    async def stop(self):\n"
      "        self._proc.wait()\n");
  const auto* proc = p.in("stop", "self._proc");
  REQUIRE(proc != nullptr);
  CHECK(proc->kind == ReceiverKind::popen);
  CHECK(proc->origin == "created by subprocess.Popen() in __init__()");
  // Opened by another method: reads and writes in this one are the blocking calls.
  CHECK(p.in("stop", "self._log")->kind == ReceiverKind::file);
  CHECK_FALSE(p.in("stop", "self._log")->opened_here);
  // Another class's `stop` sees its own class only.
  CHECK(p.kinds.lookup(static_cast<std::uint32_t>(p.model.scopes().size() - 1), "self._proc") == nullptr);
}

TEST_CASE("a self attribute: the first method that binds it, a mark made in any method", "[object_kinds]") {
  // Methods are read only when their text holds the attribute's name: these bind or mark it
  // in the forms a text search for `self.sock` would miss (spaces, a line continuation, a
  // local alias), and one method that never names it sits between them.
  Probe p(
      "import socket\n"
      "class Client:\n"
      "    def reader(self):\n"
      "        return self.sock.recv(1)\n"
      "    def unrelated(self):\n"
      "        self.other = open('x')\n"
      "    def connect(self):\n"
      "        s = socket.socket()\n"
      "        self . \\\n            sock = s\n"
      "    def reconnect(self):\n"
      "        self.sock = open('f')\n"
      "    def quiet(self):\n"
      "        self.sock.setblocking(False)\n"
      "    async def fetch(self):\n"
      "        self.sock.recv(1)\n");
  const auto* sock = p.in("fetch", "self.sock");
  REQUIRE(sock != nullptr);
  CHECK(sock->kind == ReceiverKind::socket);  // connect() binds it before reconnect() does
  CHECK(sock->origin.ends_with(" in connect()"));
  CHECK(sock->nonblocking_line == 14);  // set by quiet(), the model's lines counting from 1
  CHECK(p.in("fetch", "self.other")->kind == ReceiverKind::file);
  CHECK(p.in("fetch", "self.absent") == nullptr);
}

TEST_CASE("files: open, with-targets, Path.open, IO parameters and isinstance checks", "[object_kinds]") {
  Probe p(
      "from pathlib import Path\n"
      "async def copy(src: IO[bytes], name, data):\n"
      "    with open(name) as f, Path(name).open() as g:\n"
      "        pass\n"
      "    p = Path(name) / 'x'\n"
      "    h = p.open('rb')\n"
      "    if isinstance(data, io.BufferedIOBase):\n"
      "        data.read()\n"
      "async def test_tmp(tmp_path):\n"
      "    q = tmp_path / 'x'\n");
  CHECK(p.kind("copy", "src") == ReceiverKind::file);
  CHECK(p.in("copy", "src")->origin == "a parameter annotated `IO[bytes]`");
  CHECK_FALSE(p.in("copy", "src")->opened_here);
  CHECK(p.kind("copy", "f") == ReceiverKind::file);
  CHECK(p.in("copy", "f")->opened_here);
  CHECK(p.kind("copy", "g") == ReceiverKind::file);
  CHECK(p.kind("copy", "p") == ReceiverKind::path);
  CHECK(p.kind("copy", "h") == ReceiverKind::file);
  CHECK(p.kind("copy", "data") == ReceiverKind::file);
  CHECK(p.kind("copy", "name") == ReceiverKind::unknown);
  CHECK(p.kind("test_tmp", "tmp_path") == ReceiverKind::path);
  CHECK(p.kind("test_tmp", "q") == ReceiverKind::path);
}

TEST_CASE("in-memory buffers and archives opened on them; archives on disk stay unknown", "[object_kinds]") {
  Probe p(
      "import io, tarfile, zipfile\n"
      "async def unpack(payload, path):\n"
      "    buf = io.BytesIO(payload)\n"
      "    tar = tarfile.open(fileobj=buf)\n"
      "    zf = zipfile.ZipFile(io.BytesIO(payload))\n"
      "    member = zf.open('a.txt')\n"
      "    disk = zipfile.ZipFile(path)\n");
  CHECK(p.kind("unpack", "buf") == ReceiverKind::memory);
  CHECK(p.kind("unpack", "tar") == ReceiverKind::memory);
  CHECK(p.kind("unpack", "zf") == ReceiverKind::memory);
  CHECK(p.kind("unpack", "member") == ReceiverKind::memory);
  CHECK(p.kind("unpack", "disk") == ReceiverKind::unknown);
}

TEST_CASE("async path and file APIs, http.client connections", "[object_kinds]") {
  Probe p(
      "import anyio, aiofiles, http.client\n"
      "async def f(name):\n"
      "    ap = anyio.Path(name)\n"
      "    af = await aiofiles.open(name)\n"
      "    async with aiofiles.open(name) as ctx:\n"
      "        pass\n"
      "    conn = http.client.HTTPSConnection('example.org')\n");
  CHECK(p.kind("f", "ap") == ReceiverKind::async_io);
  CHECK(p.kind("f", "af") == ReceiverKind::async_io);
  CHECK(p.kind("f", "ctx") == ReceiverKind::async_io);
  CHECK(p.kind("f", "conn") == ReceiverKind::http_connection);
}

TEST_CASE("nested defs keep their bindings; a method of a call's result is something else", "[object_kinds]") {
  Probe p(
      "async def outer():\n"
      "    def helper():\n"
      "        s = socket.socket()\n"
      "    f = socket.socket().makefile('rb')\n"
      "    proc = subprocess.Popen(cmd).wait()\n");
  CHECK(p.kind("outer", "s") == ReceiverKind::unknown);
  CHECK(p.kind("helper", "s") == ReceiverKind::socket);
  CHECK(p.kind("outer", "f") == ReceiverKind::unknown);
  CHECK(p.kind("outer", "proc") == ReceiverKind::unknown);
}

TEST_CASE("numeric-only lookup flags, written or through a module constant", "[object_kinds]") {
  const std::string source =
      "_NUMERIC = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV\n"
      "async def f(host, port, addr):\n"
      "    socket.getaddrinfo(host, port, flags=_NUMERIC)\n"
      "    socket.getaddrinfo(host, port)\n"
      "    socket.getnameinfo(addr, socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)\n"
      "    socket.getnameinfo(addr, socket.NI_NUMERICHOST)\n";
  python::LineModel model = python::LineModel::build(source);
  analyze::ObjectKinds kinds(model);
  auto open_of = [&](int nth) {
    std::size_t at = 0;
    for (int i = 0; i <= nth; ++i) at = source.find("info(", at) + 4;
    return at;
  };
  CHECK(kinds.numeric_lookup(open_of(0), false));
  CHECK_FALSE(kinds.numeric_lookup(open_of(1), false));
  CHECK(kinds.numeric_lookup(open_of(2), true));
  CHECK_FALSE(kinds.numeric_lookup(open_of(3), true));  // the service name is still looked up
}

TEST_CASE("gated methods name the kind that makes them blocking", "[object_kinds]") {
  CHECK(analyze::gated_method_kind("wait") == ReceiverKind::popen);
  CHECK(analyze::gated_method_kind("communicate") == ReceiverKind::popen);
  CHECK(analyze::gated_method_kind("read") == ReceiverKind::file);
  CHECK(analyze::gated_method_kind("do_handshake") == ReceiverKind::socket);
  CHECK(analyze::gated_method_kind("getresponse") == ReceiverKind::http_connection);
  CHECK(analyze::gated_method_kind("recv") == ReceiverKind::unknown);  // a candidate on any receiver
}
