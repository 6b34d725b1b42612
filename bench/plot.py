"""The figure of a bench/run results file, written as SVG directly (no plotting package to
install, and the output is the same on every machine), and as PNG where rsvg-convert is
installed (Debian's librsvg2-bin).

Panels, one under another, each only when its data exist (never an empty panel):
  (a) all rules vs rg's one-literal sweep vs the walk+read floor vs the guide's commands, per
      tree, log scale, min-max whiskers;
  (b) per tree, each guide rule against its own rg command, paired bars;
  (c) thread scaling of asyncsweep and of rg against the ideal line;
  (d) time, and (e) peak memory, against tree size (--scale runs only).
Every series is an SVG group whose <title> names it; tests/bench/test_bench.py checks them.
"""
import math
import shutil
import subprocess
from functools import partial
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 960, 400
LEFT, RIGHT, TOP, BOTTOM = 80, 260, 44, 72
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]

MAIN_SERIES = [("asyncsweep", "asyncsweep, all rules"), ("rg-one-literal", "rg, one literal"),
               ("walk-read-floor", "asyncsweep walk+read floor"), ("document-rg", "the guide's rg commands")]


def _nice_step(span, count):
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


class Axis:
    """Maps data values to pixels between lo_px and hi_px, linear or log10."""

    def __init__(self, values, lo_px, hi_px, log, zero=False):
        values = [v for v in values if v > 0] if log else list(values)
        lo, hi = min(values), max(values)
        self.log = log
        if log:  # bounds on the 1-2-5 steps around the data, not whole decades
            steps = [m * 10 ** d for d in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 2)
                     for m in (1, 2, 5)]
            self.lo = max(v for v in steps if v <= lo)
            self.hi = min(v for v in steps if v >= hi and v > self.lo)
        else:
            lo = min(lo, 0) if zero else lo
            if hi == lo:
                hi = lo + 1
            step = _nice_step(hi - lo, 5)
            self.lo, self.hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        self.lo_px, self.hi_px = lo_px, hi_px

    def _t(self, v):
        return math.log10(v) if self.log else v

    def __call__(self, v):
        v = max(v, self.lo) if self.log else v
        f = (self._t(v) - self._t(self.lo)) / (self._t(self.hi) - self._t(self.lo))
        return self.lo_px + f * (self.hi_px - self.lo_px)

    def ticks(self):
        if self.log:
            decades = range(math.floor(math.log10(self.lo)), math.ceil(math.log10(self.hi)) + 1)
            mults = (1, 2, 5) if len(decades) <= 4 else (1,)
            return [m * 10 ** d for d in decades for m in mults if self.lo <= m * 10 ** d <= self.hi * 1.0001]
        step = _nice_step(self.hi - self.lo, 5)
        n = round((self.hi - self.lo) / step)
        return [self.lo + i * step for i in range(n + 1)]


def _label(v):
    return f"{v:g}" if abs(v) < 1e5 else f"{v:.0e}"


class Panel:
    """One chart at vertical offset y0: axes, series groups and a legend."""

    def __init__(self, title, xlabel, ylabel):
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.out = []

    def frame(self, y0, xaxis_ticks, yaxis):
        x0, x1, top, bottom = LEFT, WIDTH - RIGHT, y0 + TOP, y0 + HEIGHT - BOTTOM
        o = self.out
        o.append(f'<g class="panel"><title>{escape(self.title)}</title>')
        o.append(f'<text x="{LEFT}" y="{y0 + 26}" font-size="15" font-weight="bold">{escape(self.title)}</text>')
        o.append(f'<rect x="{x0}" y="{top}" width="{x1 - x0}" height="{bottom - top}" fill="none" stroke="#444"/>')
        for v in yaxis.ticks():
            y = yaxis(v)
            o.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#ddd"/>')
            o.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{_label(v)}</text>')
        for x, text, rotate in xaxis_ticks:
            anchor, transform = ("end", f' transform="rotate(-45 {x:.1f} {bottom + 14})"') if rotate else ("middle", "")
            o.append(f'<text x="{x:.1f}" y="{bottom + 14}" font-size="11" text-anchor="{anchor}"{transform}>'
                     f'{escape(text)}</text>')
        o.append(f'<text x="{(x0 + x1) / 2}" y="{y0 + HEIGHT - 12}" font-size="12" text-anchor="middle">'
                 f'{escape(self.xlabel)}</text>')
        ymid = (top + bottom) / 2
        o.append(f'<text x="18" y="{ymid}" font-size="12" text-anchor="middle" transform="rotate(-90 18 {ymid})">'
                 f'{escape(self.ylabel)}</text>')

    def legend(self, y0, entries):
        for i, (title, colour, dashed) in enumerate(entries):
            y = y0 + TOP + 14 + i * 20
            dash = ' stroke-dasharray="6 4"' if dashed else ""
            self.out.append(f'<line x1="{WIDTH - RIGHT + 14}" y1="{y - 4}" x2="{WIDTH - RIGHT + 38}" y2="{y - 4}" '
                            f'stroke="{colour}" stroke-width="6"{dash}/>')
            self.out.append(f'<text x="{WIDTH - RIGHT + 44}" y="{y}" font-size="12">{escape(title)}</text>')
        self.out.append("</g>")


def _whisker(x, ylo, yhi, colour):
    return (f'<line x1="{x:.1f}" y1="{ylo:.1f}" x2="{x:.1f}" y2="{yhi:.1f}" stroke="#222"/>'
            f'<line x1="{x - 3:.1f}" y1="{ylo:.1f}" x2="{x + 3:.1f}" y2="{ylo:.1f}" stroke="#222"/>'
            f'<line x1="{x - 3:.1f}" y1="{yhi:.1f}" x2="{x + 3:.1f}" y2="{yhi:.1f}" stroke="#222"/>')


def bars(title, ylabel, categories, series, y0, log=True, rotate=False):
    """series: [(title, [summary or None per category])], summaries in seconds, drawn in ms."""
    values = [t[k] * 1000 for _, vs in series for t in vs if t for k in ("min", "max")]
    yaxis = Axis(values, y0 + HEIGHT - BOTTOM, y0 + TOP, log, zero=True)
    group = (WIDTH - RIGHT - LEFT) / len(categories)
    width = group * 0.8 / len(series)
    panel = Panel(title, "", ylabel)
    panel.frame(y0, [(LEFT + group * (i + 0.5), c, rotate) for i, c in enumerate(categories)], yaxis)
    base = yaxis(yaxis.lo)
    for j, (name, vs) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        panel.out.append(f'<g class="series"><title>{escape(name)}</title>')
        for i, t in enumerate(vs):
            if not t:
                continue
            x = LEFT + group * (i + 0.1) + j * width
            y = yaxis(t["median"] * 1000)
            panel.out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width * 0.9:.1f}" height="{base - y:.1f}" '
                             f'fill="{colour}"><title>{escape(name)}, {escape(categories[i])}: '
                             f'{t["median"] * 1000:.1f} ms</title></rect>')
            panel.out.append(_whisker(x + width * 0.45, yaxis(t["min"] * 1000), yaxis(t["max"] * 1000), colour))
        panel.out.append("</g>")
    panel.legend(y0, [(name, COLOURS[j % len(COLOURS)], False) for j, (name, _) in enumerate(series)])
    return panel.out


def lines(title, xlabel, ylabel, series, y0, xlog=False, ylog=False, xticks=None):
    """series: [(title, [(x, y, ylo, yhi)], dashed)]; xticks: where to label x (default: the axis's)."""
    xs = [p[0] for _, pts, _ in series for p in pts]
    ys = [v for _, pts, _ in series for p in pts for v in p[1:]]
    xaxis = Axis(xs, LEFT, WIDTH - RIGHT, xlog)
    yaxis = Axis(ys, y0 + HEIGHT - BOTTOM, y0 + TOP, ylog, zero=not ylog)
    panel = Panel(title, xlabel, ylabel)
    panel.frame(y0, [(xaxis(v), _label(v), False) for v in (xticks or xaxis.ticks())], yaxis)
    for j, (name, pts, dashed) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        coords = " ".join(f"{xaxis(x):.1f},{yaxis(y):.1f}" for x, y, _, _ in pts)
        panel.out.append(f'<g class="series"><title>{escape(name)}</title>'
                         f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y, lo, hi in pts:
            panel.out.append(f'<circle cx="{xaxis(x):.1f}" cy="{yaxis(y):.1f}" r="3.5" fill="{colour}"/>')
            if hi > lo:
                panel.out.append(_whisker(xaxis(x), yaxis(lo), yaxis(hi), colour))
        panel.out.append("</g>")
    panel.legend(y0, [(name, COLOURS[j % len(COLOURS)], dashed) for j, (name, _, dashed) in enumerate(series)])
    return panel.out


def _speedups(rows, tool):
    """(threads, speed-up of the medians, and the whisker from the slowest and fastest runs)."""
    one = rows[0][tool]
    return [(r["n"], one["median"] / r[tool]["median"], one["min"] / r[tool]["max"], one["max"] / r[tool]["min"])
            for r in rows]


def panels(results):
    """The panels with data, as functions of their vertical offset y0."""
    trees = results.get("trees", [])
    out = []
    if trees:
        names = [t["name"] for t in trees]
        series = [(title, [t["main"].get(key) for t in trees]) for key, title in MAIN_SERIES]
        out.append(partial(bars, "(a) a whole sweep against rg, per tree (log scale, min–max)", "ms (log)",
                           names, series))
    for tree in trees:
        if tree.get("rules"):
            ids = [r["id"] for r in tree["rules"]]
            series = [("asyncsweep --select ID", [r["asyncsweep"] for r in tree["rules"]]),
                      ("the rule's rg command", [r["rg"] for r in tree["rules"]])]
            out.append(partial(bars, f"(b) each guide rule against its own rg command: {tree['name']}", "ms (log)",
                               ids, series, rotate=True))
    threaded = [t for t in trees if len(t.get("threads", [])) > 1]
    if threaded:
        series = []
        for tree in threaded:
            series.append((f"asyncsweep, {tree['name']}", _speedups(tree["threads"], "asyncsweep"), False))
            series.append((f"rg, {tree['name']}", _speedups(tree["threads"], "rg"), False))
        ns = sorted({r["n"] for t in threaded for r in t["threads"]})
        series.append(("ideal", [(n, n, n, n) for n in ns], True))
        out.append(partial(lines, "(c) thread scaling: speed-up over one thread", "threads", "speed-up", series,
                           xticks=ns))
    scale = results.get("scale", [])
    if scale:
        mb = [r["bytes"] / 1e6 for r in scale]
        timed = [(name, [(m, r[key]["median"], r[key]["min"], r[key]["max"]) for m, r in zip(mb, scale)], False)
                 for key, name in (("asyncsweep", "asyncsweep, all rules"), ("rg", "rg, one literal"))]
        rss = [(name, [(m, r[key], r[key], r[key]) for m, r in zip(mb, scale)], False)
               for key, name in (("rss_mib", "asyncsweep, every finding kept"),
                                 ("rss_bare_mib", "asyncsweep, no finding kept"), ("rss_rg_mib", "rg, one literal"))]
        out.append(partial(lines, "(d) time against tree size (synthetic monorepo)", "MB (log)", "seconds (log)",
                           timed, xlog=True, ylog=True))
        out.append(partial(lines, "(e) peak memory against tree size", "MB (log)", "peak RSS, MiB", rss, xlog=True))
    return out


def svg(results):
    drawn = [p(i * HEIGHT) for i, p in enumerate(panels(results))]
    height = max(len(drawn), 1) * HEIGHT
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif">'
            f'<title>asyncsweep benchmark, {escape(results.get("date", ""))}</title>'
            f'<rect width="{WIDTH}" height="{height}" fill="white"/>')
    return head + "\n".join(part for panel in drawn for part in panel) + "</svg>\n"


def draw(results, stem):
    """Writes STEM.svg, and STEM.png where rsvg-convert exists; returns the paths written."""
    with open(stem + ".svg", "w") as handle:
        handle.write(svg(results))
    written = [stem + ".svg"]
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-f", "png", "-o", stem + ".png", stem + ".svg"], check=True)
        written.append(stem + ".png")
    return written
