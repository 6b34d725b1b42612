"""Object-kind inference end to end: a call is judged by what its receiver was bound to in the
same function (or, for `self.x`, in another method of the class). Blocking sockets, Popen
objects, file objects handed in, http.client connections and ssl handshakes rank high with the
binding as the reason; asyncio-style non-blocking sockets, in-memory archives, anyio paths,
numeric-only lookups and awaited look-alikes stay low or are no candidates at all."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_json, tempdir, write_tree  # noqa: E402

# An async test suite the way projects write one: a socketpair as a fake peer, a server
# accepting on a blocking listener, and asyncio's own non-blocking pattern beside them.
SOCKETS = '''import asyncio
import socket
import ssl

import trio
import websocket


async def test_echo_roundtrip():
    left, right = socket.socketpair()
    right.sendall(b"ping")
    data = left.recv(4)
    assert data == b"ping"


async def serve_once(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", port))
    listener.listen()
    conn, _ = listener.accept()
    conn.sendall(b"hello")


async def nonblocking_read(loop, address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    await loop.sock_connect(sock, address)
    try:
        return sock.recv(4096)
    except (BlockingIOError, InterruptedError):
        return None


async def announce(address):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.connect(address)


async def handshake(host):
    raw = socket.create_connection((host, 443))
    tls = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
    tls.do_handshake()


async def test_wrapped_by_trio():
    a, b = socket.socketpair()
    b.sendall(b"before")
    ta = trio.socket.from_stdlib_socket(b)
    b.send(b"after")
    await ta.recv(10)


async def open_channel(url):
    ws = websocket.create_connection(url, timeout=30)
    return ws


async def peer_name(addr, obj):
    host, port = socket.getnameinfo(addr, socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)
    name, _ = socket.getnameinfo(addr, 0)
    obj.do_handshake()
    return host, name
'''

PROCESSES = '''import asyncio
import subprocess
import http.client
from typing import IO


class Daemon:
    def __init__(self, cmd):
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        self._stopped = asyncio.Event()

    async def stop(self):
        self._proc.terminate()
        self._proc.wait()
        await self._stopped.wait()

    async def run_child(self, cmd):
        child = await asyncio.create_subprocess_exec(*cmd)
        await child.wait()
        with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
            out, _ = proc.communicate()
        return out


async def send_file(stream, file: IO[bytes], block=4096):
    while True:
        chunk = file.read(block)
        if not chunk:
            break
        await stream.write(chunk)


async def copy_local(path, stream):
    with open(path, "rb") as handle:
        data = handle.read()
    await stream.write(data)


async def ping(host):
    conn = http.client.HTTPSConnection(host, timeout=5)
    conn.request("GET", "/health")
    return conn.getresponse().status


async def fetch(session, url):
    resp = await session.request("GET", url)
    return resp
'''

ARCHIVES = '''import io
import tarfile
import zipfile

import anyio


async def unpack(payload: bytes, target):
    buf = io.BytesIO(payload)
    with tarfile.open(fileobj=buf, mode="r:gz") as tar:
        names = tar.getnames()
    member = zipfile.ZipFile(io.BytesIO(payload)).open("a.txt")
    return names, member


async def extract(path, target):
    with zipfile.ZipFile(path) as zf:
        zf.extractall(target)


async def list_logs(root):
    logs = anyio.Path(root)
    async for entry in logs.glob("*.log"):
        print(entry)
    return await logs.exists()
'''

NESTED = '''import asyncio
import os


async def upload_file(local_directory, filename, data):
    out = os.path.join(local_directory, filename)

    def write(payload):
        with open(out, "wb") as f:
            f.write(payload)

    def write_later(payload):
        with open(out + ".bak", "wb") as f:
            f.write(payload)

    if len(data) < 10000:
        write(data)
    await asyncio.get_running_loop().run_in_executor(None, write_later, data)
'''


def line_of(source, snippet):
    for number, text in enumerate(source.splitlines(), 1):
        if snippet in text:
            return number
    raise AssertionError(f"{snippet!r} not in the fixture")


class ObjectKinds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempdir() as d:
            write_tree(d, {"tests/test_sockets.py": SOCKETS, "svc/processes.py": PROCESSES,
                           "svc/archives.py": ARCHIVES, "svc/nested.py": NESTED})
            code, findings, _, err = run_json("--min-score", "0", d)
            assert code == 1, err
        cls.findings = findings

    def at(self, path_end, source, snippet):
        line = line_of(source, snippet)
        found = [f for f in self.findings if f["path"].endswith(path_end) and f["line"] == line]
        return max(found, key=lambda f: f["score"]) if found else None

    def assert_high(self, path_end, source, snippet, reason):
        f = self.at(path_end, source, snippet)
        self.assertIsNotNone(f, f"{snippet} not reported")
        self.assertGreaterEqual(f["score"], 50, f)
        self.assertTrue(any(reason in r for r in f["reasons"]), f["reasons"])

    def assert_low(self, path_end, source, snippet, reason=None):
        f = self.at(path_end, source, snippet)
        self.assertIsNotNone(f, f"{snippet} not reported")
        self.assertLess(f["score"], 50, f)
        if reason:
            self.assertTrue(any(reason in r for r in f["reasons"]), f["reasons"])

    def assert_absent(self, path_end, source, snippet):
        self.assertIsNone(self.at(path_end, source, snippet))

    def test_blocking_sockets_rank_high_with_their_binding(self):
        self.assert_high("test_sockets.py", SOCKETS, "data = left.recv(4)",
                         "`left` is created by socket.socketpair() on line 10 and never set non-blocking")
        self.assert_high("test_sockets.py", SOCKETS, 'right.sendall(b"ping")', "socket.socketpair()")
        self.assert_high("test_sockets.py", SOCKETS, "conn, _ = listener.accept()",
                         "`listener` is created by socket.socket()")
        self.assert_high("test_sockets.py", SOCKETS, 'conn.sendall(b"hello")', "returned by listener.accept()")
        self.assert_high("test_sockets.py", SOCKETS, "tls.do_handshake()", "wrap_socket()")
        self.assert_high("test_sockets.py", SOCKETS, "socket.getnameinfo(addr, 0)", "async def peer_name")
        self.assert_high("test_sockets.py", SOCKETS, "ws = websocket.create_connection(url", "async def open_channel")

    def test_nonblocking_and_udp_sockets_stay_low(self):
        self.assert_low("test_sockets.py", SOCKETS, "return sock.recv(4096)", "set non-blocking on line")
        self.assert_low("test_sockets.py", SOCKETS, "udp.connect(address)", "a UDP connect() only records the peer")
        # Before trio takes the socket over it blocks; after, trio has made it non-blocking.
        self.assert_high("test_sockets.py", SOCKETS, 'b.sendall(b"before")', "never set non-blocking")
        self.assert_low("test_sockets.py", SOCKETS, 'b.send(b"after")', "handed to trio.socket.from_stdlib_socket()")
        self.assert_low("test_sockets.py", SOCKETS, "socket.NI_NUMERICHOST | socket.NI_NUMERICSERV",
                        "numeric-only flags")
        # do_handshake() on something the function does not show to be a socket: no candidate.
        self.assert_absent("test_sockets.py", SOCKETS, "obj.do_handshake()")

    def test_popen_objects_block_and_look_alikes_are_no_candidates(self):
        self.assert_high("processes.py", PROCESSES, "self._proc.wait()",
                         "`self._proc` is created by subprocess.Popen() in __init__() on line 9")
        self.assert_high("processes.py", PROCESSES, "out, _ = proc.communicate()", "subprocess.Popen()")
        self.assert_absent("processes.py", PROCESSES, "await self._stopped.wait()")
        self.assert_absent("processes.py", PROCESSES, "await child.wait()")

    def test_files_handed_in_block_and_files_opened_here_count_once(self):
        self.assert_high("processes.py", PROCESSES, "chunk = file.read(block)", "a parameter annotated `IO[bytes]`")
        self.assert_high("processes.py", PROCESSES, 'with open(path, "rb") as handle:', "async def copy_local")
        # Reads on the handle the function opened itself are part of the open() site.
        self.assert_absent("processes.py", PROCESSES, "data = handle.read()")
        self.assert_absent("processes.py", PROCESSES, "await stream.write(chunk)")

    def test_http_client_requests(self):
        self.assert_high("processes.py", PROCESSES, 'conn.request("GET", "/health")', "http.client.HTTPSConnection()")
        self.assert_high("processes.py", PROCESSES, "conn.getresponse().status", "HTTPSConnection")
        self.assert_absent("processes.py", PROCESSES, 'resp = await session.request("GET", url)')

    def test_in_memory_archives_and_async_paths(self):
        self.assert_low("archives.py", ARCHIVES, 'tarfile.open(fileobj=buf, mode="r:gz")', "no file system is touched")
        self.assert_low("archives.py", ARCHIVES, 'zipfile.ZipFile(io.BytesIO(payload)).open("a.txt")',
                        "no file system is touched")
        self.assert_high("archives.py", ARCHIVES, "with zipfile.ZipFile(path) as zf:", "async def extract")
        self.assert_low("archives.py", ARCHIVES, 'async for entry in logs.glob("*.log"):', "`async for`")

    def test_nested_def_called_on_the_loop(self):
        self.assert_high("nested.py", NESTED, 'with open(out, "wb") as f:',
                         "is called on the loop at line 17")
        self.assert_low("nested.py", NESTED, 'with open(out + ".bak", "wb") as f:', "nested sync def `write_later`")


if __name__ == "__main__":
    unittest.main()
