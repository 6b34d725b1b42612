"""bench/ without timing anything. bench/plot.py on a small fabricated results file: the SVG
parses, every series of every panel is there by its title, a panel without data is left out
rather than drawn empty, and bars sit where their values say. bench/corpora.py's share of files
that define a coroutine, on a small tree with the cases a line regex gets wrong. bench/report.py
shows what ASW130 adds where it was measured."""
import importlib.util
import os
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))
from common import ROOT, tempdir, write_tree  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(ROOT, "bench", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def t(ms, spread=0.1):
    return {"median": ms / 1000, "min": ms * (1 - spread) / 1000, "max": ms * (1 + spread) / 1000}


def tree(name, scale):
    return {
        "name": name,
        "main": {"asyncsweep": t(80 * scale), "document-rg": t(1000 * scale), "rg-one-literal": t(40 * scale),
                 "walk-read-floor": t(34 * scale)},
        "rules": [{"id": "ASW001", "asyncsweep": t(30 * scale), "rg": t(45 * scale)},
                  {"id": "ASW021", "asyncsweep": t(70 * scale), "rg": t(50 * scale)}],
        "threads": [{"n": 1, "asyncsweep": t(130 * scale), "rg": t(76 * scale)},
                    {"n": 2, "asyncsweep": t(84 * scale), "rg": t(50 * scale)}],
    }


def results(scale_rows):
    scale = [{"factor": f, "bytes": f * 67e6, "files": f * 8000, "asyncsweep": t(500 * f), "rg": t(150 * f),
              "rss_mib": 20 + 15 * f, "rss_bare_mib": 20, "rss_rg_mib": 12} for f in (1, 4, 16)]
    return {"date": "2026-12-04 16:00 UTC", "trees": [tree("stdlib+6", 1), tree("async-dense", 1.3)],
            "scale": scale if scale_rows else []}


def parse(plot, data):
    root = ET.fromstring(plot.svg(data))
    found = {}
    for panel in root.iter(SVG + "g"):
        if panel.get("class") != "panel":
            continue
        series = {g.find(SVG + "title").text: g for g in panel.iter(SVG + "g") if g.get("class") == "series"}
        found[panel.find(SVG + "title").text] = series
    return found


class BenchPlot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plot = load("plot")

    def test_every_series_of_every_panel(self):
        found = parse(self.plot, results(True))
        titles = sorted(found)
        self.assertEqual([title[:3] for title in titles], ["(a)", "(b)", "(b)", "(c)", "(d)", "(e)"])
        self.assertEqual(set(found[titles[0]]), {"asyncsweep, all rules", "rg, one literal",
                                                 "asyncsweep walk+read floor", "the guide's rg commands"})
        for title in titles[1:3]:
            self.assertEqual(set(found[title]), {"asyncsweep --select ID", "the rule's rg command"})
        self.assertTrue(any(t.endswith("stdlib+6") for t in titles[1:3]) and
                        any(t.endswith("async-dense") for t in titles[1:3]))
        self.assertEqual(set(found[titles[3]]), {"asyncsweep, stdlib+6", "rg, stdlib+6", "asyncsweep, async-dense",
                                                 "rg, async-dense", "ideal"})
        self.assertEqual(set(found[titles[4]]), {"asyncsweep, all rules", "rg, one literal"})
        self.assertEqual(set(found[titles[5]]), {"asyncsweep, every finding kept", "asyncsweep, no finding kept",
                                                 "rg, one literal"})
        for title, series in found.items():
            for name, group in series.items():
                marks = [e for e in group if e.tag in (SVG + "rect", SVG + "polyline", SVG + "circle")]
                self.assertTrue(marks, f"{title}: {name} draws nothing")

    def test_no_empty_panel(self):
        data = results(False)
        found = parse(self.plot, data)
        self.assertEqual(sorted(t[:3] for t in found), ["(a)", "(b)", "(b)", "(c)"])
        data["trees"][1]["rules"] = []
        data["trees"][1]["threads"] = data["trees"][1]["threads"][:1]
        data["trees"][0]["threads"] = data["trees"][0]["threads"][:1]
        found = parse(self.plot, data)
        self.assertEqual(sorted(t[:3] for t in found), ["(a)", "(b)"])

    def test_bars_follow_their_values(self):
        found = parse(self.plot, results(False))
        whole = found[next(t for t in found if t.startswith("(a)"))]
        # Taller bar, smaller y: the guide's commands (1000 ms) above all rules (80 ms) above the floor (34 ms).
        tops = {name: [float(r.get("y")) for r in g.iter(SVG + "rect")] for name, g in whole.items()}
        for i in range(2):
            self.assertLess(tops["the guide's rg commands"][i], tops["asyncsweep, all rules"][i])
            self.assertLess(tops["asyncsweep, all rules"][i], tops["asyncsweep walk+read floor"][i])
        # The dense tree's sweep (1.3x) is drawn higher than the first tree's.
        self.assertLess(tops["asyncsweep, all rules"][1], tops["asyncsweep, all rules"][0])

    def test_draw_writes_svg_and_png(self):
        with tempdir() as directory:
            stem = os.path.join(directory, "figure")
            written = self.plot.draw(results(True), stem)
            self.assertEqual(written[0], stem + ".svg")
            ET.parse(stem + ".svg")
            if len(written) > 1:
                with open(stem + ".png", "rb") as handle:
                    self.assertEqual(handle.read(8), b"\x89PNG\r\n\x1a\n")


class CoroutineShare(unittest.TestCase):
    def test_counts_files_that_define_a_coroutine(self):
        corpora = load("corpora")
        with tempdir() as root:
            write_tree(root, {
                "pkg/server.py": "import asyncio\n\nasync def serve():\n    await asyncio.sleep(1)\n",
                "pkg/client.pyi": "class Client:\n    async def get(self, url: str) -> bytes: ...\n",
                # A docstring that shows the syntax defines nothing.
                "pkg/doc.py": 'def run():\n    """Use it as\n\n    async def main():\n        ...\n    """\n',
                # Python 2 does not parse: a line that starts `async def` is what is left to go by.
                "pkg/legacy.py": "print 'hi'\nasync def later():\n    pass\n",
                "pkg/sync.py": "def f():\n    return 1\n",
                "pkg/__pycache__/cached.py": "async def x():\n    pass\n",
                ".hidden/h.py": "async def y():\n    pass\n",
                "notes.txt": "async def z(): pass\n",
            })
            os.makedirs(os.path.join(root, "copy"))
            os.link(os.path.join(root, "pkg", "server.py"), os.path.join(root, "copy", "server.py"))
            self.assertEqual(corpora.coroutine_share([root]), (4, 6))


class Report(unittest.TestCase):
    def test_asw130_cost_is_reported_per_tree_when_measured(self):
        report = load("report")
        data = results(False)
        data.update({"machine": {"node": "vm", "cpu": "cpu", "cores": 2, "memory_gib": 24, "platform": "Linux",
                                 "rg": "ripgrep 13.0.0"},
                     "load_before": [1, 1, 1], "load_after": [1, 1, 1], "runs": 5, "shell_overhead_s": 0.001,
                     "rules_loaded": 40})
        data["trees"][0]["python_files"] = data["trees"][0]["coroutine_files"] = 1
        data["trees"][0].update({"files": 10, "bytes": 1e6, "roots": ["/x"], "document_commands": 25,
                                 "ratios": {k: {"median": 1, "min": 1, "max": 1} for k in (
                                     "all_rules_vs_rg", "document_vs_all_rules", "floor_vs_rg",
                                     "all_rules_vs_floor")}})
        data["trees"][0]["transitive"] = {
            "default": t(80), "with_asw130": t(120), "time_ratio": {"median": 1.5, "min": 1.4, "max": 1.62},
            "rss_default_mib": t(12000), "rss_with_asw130_mib": t(15500),
            "rss_ratio": {"median": 1.29, "min": 1.27, "max": 1.31}}
        for row in data["trees"][0]["rules"]:
            row["ratio"] = {"median": 0.7, "min": 0.6, "max": 0.8}
        data["trees"] = data["trees"][:1]
        text = report.markdown(data)
        rows = [line for line in text.splitlines() if line.startswith("| wall time") or line.startswith("| peak RSS")]
        self.assertEqual(len(rows), 2, text)
        self.assertIn("80.0 ms", rows[0])
        self.assertIn("120.0 ms", rows[0])
        self.assertIn("1.50 (1.40–1.62)", rows[0])
        self.assertIn("12.0 MiB", rows[1])
        self.assertIn("1.29 (1.27–1.31)", rows[1])
        # An older results file, without the measurement, still makes a report.
        del data["trees"][0]["transitive"]
        self.assertNotIn("| wall time", report.markdown(data))
