"""Each scoring weight, shown by its effect: the same call scored with and without the
feature (docs/rules.md "Ranking"; weights in src/score/scorer.cpp, fitted on eval/devset)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, tempdir, write_tree  # noqa: E402

PROD = """import asyncio
import os
import socket
import time
from pathlib import Path


async def direct():
    time.sleep(1)


async def in_comment():
    # time.sleep(1)
    '''time.sleep(1) in a docstring'''
    s = "time.sleep(1)"


async def nested():
    def helper():
        time.sleep(1)
    f = lambda: time.sleep(1)
    class Inner:
        x = time.sleep(1)


async def awaited(p):
    await anyio_path(p).read_text()
    await asyncio.to_thread(Path(p).read_text)
    asyncio.create_task(self_like.read_text())


async def arg_of_to_thread(p):
    await asyncio.to_thread(Path(p).read_text())


async def sockets(sock, transport, thing, fd):
    sock.recv(1)
    transport.sendto(b"x")
    thing.send(b"x")


async def nonblocking(fd):
    os.set_blocking(fd, False)
    os.read(fd, 1)


async def blocking_read(fd):
    os.read(fd, 1)


async def nested_run():
    asyncio.run(direct())


def main():
    asyncio.run(direct())
    loop = asyncio.get_event_loop()


async def in_coroutine():
    loop = asyncio.get_event_loop()


if __name__ == "__main__":
    asyncio.run(direct())


async def fan_out(a, b):
    await asyncio.gather(a(), b())
    await asyncio.gather(
        a(), b(),
        return_exceptions=True,
    )
    await asyncio.gather(a(), b(), return_exceptions=False)
    await asyncio.gather(a(), b(), tag="return_exceptions=True")
"""

PLAIN = """import time


async def direct():
    time.sleep(1)
"""


def scored(d, *args):
    code, out, err = run("--format", "json", "--min-score", "0", *args, d, expect=(0, 1))
    found = {}
    for line in out.splitlines():
        record = json.loads(line)
        if record["type"] == "finding":
            found[(os.path.basename(record["path"]), record["line"], record["rule"])] = record
    return found


class Weights(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.tmp.name
        write_tree(d, {"app/prod.py": PROD, "app/plain.py": PLAIN, "tests/test_prod.py": PROD})
        cls.found = scored(d)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def at(self, line, rule, name="prod.py"):
        finding = self.found.get((name, line, rule))
        self.assertIsNotNone(finding, f"{name}:{line} {rule} not reported")
        return finding

    def reason(self, finding, text):
        self.assertTrue(any(text in r for r in finding["reasons"]), (text, finding["reasons"]))

    def test_direct_blocking_call(self):
        f = self.at(9, "ASW106")
        self.assertEqual(f["score"], 97)  # a high-severity blocking call in an async body
        self.reason(f, "inside `async def direct` (line 8)")

    def test_imports_async_is_a_reason_not_a_weight(self):
        self.assertEqual(self.at(9, "ASW106")["score"], self.at(5, "ASW106", "plain.py")["score"])
        self.reason(self.at(9, "ASW106"), "module imports asyncio")

    def test_test_file_is_a_reason_not_a_penalty(self):
        # A blocking call blocks a test's loop as surely as production's.
        self.assertEqual(self.at(9, "ASW106")["score"], self.at(9, "ASW106", "test_prod.py")["score"])
        self.reason(self.at(9, "ASW106", "test_prod.py"), "test file")

    def test_severity_orders_direct_calls(self):
        self.assertEqual(self.at(48, "ASW103")["score"], 95)  # medium
        self.assertGreater(self.at(9, "ASW106")["score"], self.at(48, "ASW103")["score"])

    def test_comments_docstrings_and_strings_score_3(self):
        for line, why in ((13, "inside a comment"), (14, "inside a docstring"), (15, "inside a string literal")):
            f = self.at(line, "ASW106")
            self.assertEqual(f["score"], 3)
            self.reason(f, why)

    def test_nested_sync_bodies_score_15(self):
        for line, why in ((20, "nested sync def `helper`"), (21, "nested sync lambda"), (23, "nested sync class `Inner`")):
            f = self.at(line, "ASW106")
            self.assertEqual(f["score"], 15)
            self.reason(f, why)

    def test_awaited_references_and_scheduled_coroutines_score_4(self):
        self.assertEqual(self.at(27, "ASW102")["score"], 4)
        self.reason(self.at(27, "ASW102"), "awaited")
        self.assertNotIn(("prod.py", 28, "ASW102"), self.found)  # a reference: no call, no match
        self.assertEqual(self.at(29, "ASW102")["score"], 4)

    def test_a_result_awaited_later_is_an_async_api(self):
        # tornado's `open_result = handler.open(...)`, then `await open_result`: the call returned
        # an awaitable. A result used otherwise, or a name awaited in another function, is not.
        code = (
            "import asyncio\nfrom tornado import gen\n\n\n"
            "async def hook(handler):\n"
            "    open_result = handler.open(1, 2)\n"          # 6: awaited on line 8
            "    if open_result is not None:\n"
            "        await open_result\n"
            "    data = handler.open()\n"                     # 9: only passed on
            "    await send(data)\n"
            "    x = handler.open()\n"                        # 11: `await x.y` is another object
            "    await x.close()\n"
            "    y = handler.open()\n"                        # 13: awaited only in a comment
            "    # await y\n"
            "    await gen.with_timeout(1, self.resolver.resolve(host, port, af))\n"  # 15
            "    r = handler.open() or fut\n"                # 16: not the whole right-hand side
            "    await r\n"
            "    f = open(p)\n"                              # 18: `f` is bound again before the await
            "    header = f.readline()\n"
            "    for f in asyncio.as_completed(tasks):\n"
            "        await f\n"
            "    resp = handler.open(url)\n"                 # 22: rebound by `as`
            "    async with session.get(url) as resp:\n"
            "        data = await resp\n"
            "    g = handler.open(\"(\")  # a comment\n"     # 25: a bracket in a string; awaited
            "    await g\n"
            "\n\n"
            "async def other(handler):\n"
            "    z = handler.open()\n"                        # 30: the await is in another function
            "\n\n"
            "async def later():\n"
            "    await z\n"
        )
        with tempdir() as d:
            write_tree(d, {"app/hooks.py": code})
            found = scored(d)
        f = found[("hooks.py", 6, "ASW102")]
        self.assertEqual(f["score"], 4)
        self.reason(f, "its result is awaited on line 8")
        for line, rule in ((9, "ASW102"), (11, "ASW102"), (13, "ASW102"), (16, "ASW102"), (18, "ASW101"),
                           (22, "ASW102"), (30, "ASW102")):
            self.assertGreaterEqual(found[("hooks.py", line, rule)]["score"], 90, line)
        self.assertEqual(found[("hooks.py", 25, "ASW102")]["score"], 4)
        self.assertEqual(found[("hooks.py", 15, "ASW112")]["score"], 4)

    def test_argument_of_to_thread_is_still_a_call_on_the_loop(self):
        f = self.at(33, "ASW102")
        self.assertGreaterEqual(f["score"], 70)
        self.reason(f, "argument of asyncio.to_thread")

    def test_a_bracket_in_an_earlier_comment_is_no_enclosing_call(self):
        code = "import asyncio\nimport time\n\n\nasync def f():\n    x = 1  # see asyncio.to_thread(\n    time.sleep(1)\n"
        with tempdir() as d:
            write_tree(d, {"app/mod.py": code})
            f = scored(d)[("mod.py", 7, "ASW106")]
        self.assertFalse(any("to_thread" in r for r in f["reasons"]), f["reasons"])
        self.assertEqual(f["score"], self.at(9, "ASW106")["score"])

    def test_socket_receivers(self):
        self.reason(self.at(37, "ASW107"), "looks like a socket")
        self.assertEqual(self.at(37, "ASW107")["score"], 95)
        self.assertEqual(self.at(38, "ASW107")["score"], 4)   # a transport
        self.assertEqual(self.at(39, "ASW107")["score"], 8)   # cannot tell
        self.reason(self.at(39, "ASW107"), "check it is a blocking socket")

    def test_nonblocking_setup_scores_10(self):
        self.assertEqual(self.at(44, "ASW103")["score"], 10)
        self.reason(self.at(44, "ASW103"), "non-blocking")

    def test_asyncio_run_positions(self):
        self.assertEqual(self.at(52, "ASW041")["score"], 90)
        self.assertEqual(self.at(56, "ASW041")["score"], 8)
        self.assertEqual(self.at(65, "ASW041")["score"], 5)

    def test_get_event_loop_positions(self):
        self.assertEqual(self.at(57, "ASW040")["score"], 95)
        self.assertEqual(self.at(61, "ASW040")["score"], 97)

    def test_gather_return_exceptions_and_test_code(self):
        self.assertEqual(self.at(69, "ASW001")["score"], 35)
        self.assertEqual(self.at(69, "ASW001", "test_prod.py")["score"], 80)
        self.assertEqual(self.at(70, "ASW001")["score"], 4)  # the keyword two lines down
        self.reason(self.at(70, "ASW001"), "return_exceptions=True")
        self.assertEqual(self.at(74, "ASW001")["score"], 35)  # False collects nothing
        self.assertEqual(self.at(75, "ASW001")["score"], 35)  # inside a string it is no keyword

    def test_test_code_is_a_field_and_exclude_tests_hides_it(self):
        self.assertIs(self.at(9, "ASW106", "test_prod.py")["test"], True)
        self.assertIs(self.at(9, "ASW106")["test"], False)
        code, out, err = run("--format", "json", "--min-score", "0", self.tmp.name, expect=1)
        everything = [json.loads(l) for l in out.splitlines()]
        code, out, err = run("--format", "json", "--min-score", "0", "--exclude-tests", self.tmp.name, expect=1)
        records = [json.loads(l) for l in out.splitlines()]
        findings = [r for r in records if r["type"] == "finding"]
        in_tests = [r for r in everything if r["type"] == "finding" and r["test"]]
        self.assertTrue(in_tests)
        self.assertEqual([f for f in findings if f["test"]], [])
        self.assertEqual(len(findings) + len(in_tests), len(everything) - 1)
        self.assertEqual(records[-1]["excluded_tests"], len(in_tests))
        code, out, err = run("--format", "sarif", "--min-score", "0", self.tmp.name, expect=1)
        results = json.loads(out)["runs"][0]["results"]
        self.assertEqual(sorted({r["properties"]["test"] for r in results}), [False, True])

    def test_min_score_default_hides_the_low_ones(self):
        code, out, err = run("--format", "json", self.tmp.name, expect=1)
        shown = [json.loads(l) for l in out.splitlines()]
        self.assertTrue(all(r["score"] >= 30 for r in shown if r["type"] == "finding"))
        self.assertGreater(shown[-1]["below_min_score"], 10)

    def test_sort_and_top(self):
        code, out, err = run("--format", "json", "--top", "3", self.tmp.name, expect=1)
        findings = [json.loads(l) for l in out.splitlines()][:-1]
        self.assertEqual(len(findings), 3)
        self.assertEqual([f["score"] for f in findings], sorted([f["score"] for f in findings], reverse=True))
        code, out, err = run("--format", "json", "--sort", "path", self.tmp.name, expect=1)
        findings = [json.loads(l) for l in out.splitlines()][:-1]
        keys = [(f["path"], f["line"]) for f in findings if f["type"] == "finding"]
        self.assertEqual(keys, sorted(keys))


if __name__ == "__main__":
    unittest.main(verbosity=1)
