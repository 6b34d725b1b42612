"""The Markdown report of a bench/run results file (the JSON holds every number; this is what
people read)."""
import os


def ms(t):
    return f"{t['median'] * 1000:.1f} ms ({t['min'] * 1000:.1f}–{t['max'] * 1000:.1f})"


def times(r):
    return f"{r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f})"


def tree_section(tree, rules_loaded):
    m, r = tree["main"], tree["ratios"]
    share = tree["coroutine_files"] / max(tree["python_files"], 1)
    roots = ", ".join(tree["roots"]) if "sources" not in tree else (
        f"{tree['copies']} hard-linked copies of the Python files of " +
        ", ".join(os.path.basename(s) for s in tree["sources"]) + " (the stdlib's and Debian's python3-* packages)")
    lines = [
        f"## Tree: {tree['name']}",
        "",
        f"{tree['files']} files, {tree['bytes'] / 1e6:.1f} MB; {tree['coroutine_files']} of {tree['python_files']} "
        f"Python files ({share:.0%}) define a coroutine (`async def`, by ast). Roots: {roots}.",
        "",
        "| measurement | time, median (min–max) | ratio, median of paired runs (min–max) |",
        "|---|---|---|",
        f"| 1. asyncsweep, all {rules_loaded} rules, ranked JSON | {ms(m['asyncsweep'])} | "
        f"1/3 = {times(r['all_rules_vs_rg'])}; 1/4 = {times(r['all_rules_vs_floor'])} |",
        f"| 2. the guide's {tree['document_commands']} rg commands, one after another | {ms(m['document-rg'])} | "
        f"2/1 = {times(r['document_vs_all_rules'])} (asyncsweep that many times faster) |",
        f"| 3. rg one literal (`rg --type py -c zqzqzq`) | {ms(m['rg-one-literal'])} | 1 |",
        f"| 4. asyncsweep walk+read floor (`--bench-read-only`) | {ms(m['walk-read-floor'])} | "
        f"4/3 = {times(r['floor_vs_rg'])} |",
        "",
        "Each guide rule (`--seed-exact --select ID`) against its own rg command:",
        "",
        "| rule | asyncsweep | rg | ratio |",
        "|---|---|---|---|",
    ]
    for row in tree["rules"]:
        lines.append(f"| {row['id']} | {ms(row['asyncsweep'])} | {ms(row['rg'])} | {times(row['ratio'])} |")
    lines += ["", "Threads (asyncsweep all rules; rg one literal with `-j N`):", "",
              "| threads | asyncsweep | speed-up | rg | speed-up |", "|---|---|---|---|---|"]
    one = tree["threads"][0]
    for row in tree["threads"]:
        lines.append(f"| {row['n']} | {ms(row['asyncsweep'])} | "
                     f"{one['asyncsweep']['median'] / row['asyncsweep']['median']:.2f}x | {ms(row['rg'])} | "
                     f"{one['rg']['median'] / row['rg']['median']:.2f}x |")
    if "transitive" in tree:
        t = tree["transitive"]
        lines += ["", "What ASW130 (blocking one call away, `--extend-select ASW130`) adds to the default sweep:", "",
                  "| measurement | default sweep | with ASW130 | ratio (min–max) |", "|---|---|---|---|",
                  f"| wall time | {ms(t['default'])} | {ms(t['with_asw130'])} | {times(t['time_ratio'])} |",
                  f"| peak RSS | {t['rss_default_mib']['median']:.1f} MiB | {t['rss_with_asw130_mib']['median']:.1f} MiB | "
                  f"{times(t['rss_ratio'])} |"]
    return lines


def markdown(results):
    mach = results["machine"]
    load = ", ".join(f"{x:.2f}" for x in results["load_before"]) + " before, " + \
        ", ".join(f"{x:.2f}" for x in results["load_after"]) + " after"
    lines = [
        f"# asyncsweep benchmark, {results['date']}",
        "",
        f"Machine: {mach['node']}, {mach['cpu']}, {mach['cores']} cores, {mach['memory_gib']} GiB; "
        f"{mach['platform']}; {mach['rg']}. Load average (1, 5, 15 min): {load}.",
    ]
    if results.get("note"):
        lines.append(f"Note: {results['note']}")
    lines += [
        f"Runs: {results['runs']} paired rounds after a warm-up round (every command of a comparison once per "
        f"round), page cache warm; the shell's start ({results['shell_overhead_s'] * 1000:.1f} ms) subtracted. "
        "A ratio is the median (min–max) of the per-round ratios.",
        "Targets (issue 14): 1/3 <= 1.5 on both trees, 2/1 >= 25, 1 -> 2 threads >= 1.8x. "
        "Issue 20: ASW130 adds at most 10% (ratios <= 1.10).",
        "",
    ]
    for tree in results["trees"]:
        lines += tree_section(tree, results["rules_loaded"]) + [""]
    if results["scale"]:
        lines += ["## Scale (synthetic monorepo, scripts/gen-corpus)", "",
                  "| corpus | files | MB | asyncsweep | rg one literal | ratio | ms per MB | peak RSS | "
                  "peak RSS, no finding kept | rg peak RSS |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for row in results["scale"]:
            lines.append(f"| {row['factor']}x | {row['files']} | {row['bytes'] / 1e6:.0f} | {ms(row['asyncsweep'])} | "
                         f"{ms(row['rg'])} | {times(row['ratio'])} | "
                         f"{row['asyncsweep']['median'] * 1000 / (row['bytes'] / 1e6):.2f} | "
                         f"{row['rss_mib']:.1f} MiB | "
                         f"{row['rss_bare_mib']:.1f} MiB | {row['rss_rg_mib']:.1f} MiB |")
        lines.append("")
    return "\n".join(lines)
