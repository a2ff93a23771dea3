#!/usr/bin/env python3
"""Timing and reporting for bench/compare.sh (standard library only).

    measure.py run LOG NAME PAGES TIMEOUT OK_CODES -- COMMAND...
        Runs COMMAND once (stdout and stderr to LOG's folder), appends one
        JSON line to LOG: wall seconds, CPU seconds (user + system), peak
        resident memory (ru_maxrss of the process and the children it
        waited for, from wait4), exit status, whether it was stopped at
        TIMEOUT seconds. Exit 1 when the status is not in OK_CODES (a
        comma list), so the caller can report the failure.
    measure.py spawn BINARY N
        Median wall time of N runs of `BINARY --version`, and of /bin/true
        (the cost of starting any process here), as one JSON object.
    measure.py report META LOG OUT
        Writes the Markdown report (one table for every tool and scale,
        the targets with their margins, the machine, versions and exact
        commands) from META (a JSON object compare.sh wrote) and LOG.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import time


def run(log, name, pages, timeout, ok_codes, command):
    stem = os.path.join(os.path.dirname(log), "logs", f"{name}-{pages}")
    os.makedirs(os.path.dirname(stem), exist_ok=True)
    with open(stem + ".out", "wb") as out, open(stem + ".err", "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, start_new_session=True)
        timed_out = False
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.0005)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    ok = not timed_out and str(proc.returncode) in ok_codes.split(",")
    record = {
        "name": name, "pages": int(pages), "wall": round(wall, 4),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "rss_kib": usage.ru_maxrss, "status": proc.returncode,
        "timed_out": timed_out, "ok": ok,
    }
    with open(log, "a") as f:
        f.write(json.dumps(record) + "\n")
    shown = f"stopped at {timeout} s" if timed_out else f"{wall:.3f} s, {usage.ru_maxrss // 1024} MiB"
    print(f"  {name:<10} {pages:>6} pages: {shown}" + ("" if ok else f" FAILED (exit {proc.returncode}, see {stem}.err)"),
          file=sys.stderr)
    return 0 if ok else 1


def spawn(binary, n):
    def median_ms(cmd):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - t) * 1000)
        return round(statistics.median(times), 2)

    print(json.dumps({"runs": n, "version_ms": median_ms([binary, "--version"]),
                      "true_ms": median_ms(["/bin/true"])}))
    return 0


# What each tool had on, as compare.sh runs it (the peers' corpus templates are minimal).
FEATURES = {
    "playbook": "highlighting (syntect), stemmed search index, sidebar navigation, role pages, checklist embeds, print pages{runs}; into the previous site",
    "cold": "the same, into an empty folder",
    "zola": "highlighting (giallo), search index (elasticlunr); minimal templates: a page list per section, no sidebar",
    "hugo": "highlighting (Chroma, on by default); no search index; minimal templates: a page list per section, no sidebar; taxonomies, RSS, sitemap off",
    "zensical": "its default theme: full navigation on every page, search index, highlighting (Pygments); `--clean`",
    "mkdocs": "theme material: full navigation on every page, search plugin, pymdownx.highlight (Pygments), tasklist",
    "mdbook": "default theme: every page in the sidebar, search index, client-side highlighting (highlight.js)",
    "check": "links, anchors, roles, checklists, front matter",
    "lychee": "`--offline --include-fragments` on the Markdown sources: links and anchors",
    "copy": "`cp -r` of the content folder into an empty folder: the floor",
    "markdown": "`examples/markdown_floor.rs`: every page read, turned into HTML by pulldown-cmark (playbook's parser and options) and written, in parallel, into an empty folder; no template, navigation, highlighting, search or check: the floor of a Markdown site generator",
    "libraries": "`examples/markdown_floor.rs --named-dependencies`: the same, plus each fenced block highlighted by syntect (through playbook's line memo) and each page wrapped by Tera in a one-line template; no navigation, search, check or front matter: the floor of a generator built on these three libraries",
}
LABEL = {
    "playbook": "playbook build", "cold": "playbook build, empty folder",
    "zola": "Zola", "hugo": "Hugo", "zensical": "Zensical", "mkdocs": "MkDocs Material",
    "mdbook": "mdBook", "check": "playbook check", "lychee": "lychee", "copy": "cp -r (floor)",
    "markdown": "pulldown-cmark alone (floor)",
    "libraries": "pulldown-cmark + syntect + Tera (floor)",
}
ORDER = ["playbook", "cold", "zola", "hugo", "zensical", "mkdocs", "mdbook", "check", "lychee", "copy", "markdown", "libraries"]


def fmt_s(s):
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def fmt_ratio(a, b):
    return f"{a / b:.2f}×" if a and b else ""


def report(meta_path, log, out):
    meta = json.load(open(meta_path))
    rows = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
    by = {}
    for r in rows:
        by.setdefault((r["name"], r["pages"]), []).append(r)

    def stat(name, pages):
        rs = by.get((name, pages))
        if not rs:
            return None
        good = [r for r in rs if r["ok"]]
        if not good:
            return {"failed": rs[-1]}
        return {
            "runs": len(good),
            "wall": statistics.median(r["wall"] for r in good),
            "cpu": statistics.median(r["cpu"] for r in good),
            "rss": max(r["rss_kib"] for r in good),
        }

    lines = []
    w = lines.append
    w(f"# Benchmark: {', '.join(f'{p:,}' for p in meta['scales'])} pages")
    w("")
    w(f"`{meta['command']}` on {meta['date']}: {meta['duration']} in all.")
    w(f"Machine: {meta['machine']}. Load average {meta['load_before']} before, {meta['load_after']} after"
      + (" (**not idle: the figures are under load**)." if meta["under_load"] else "."))
    w(f"Versions: {meta['versions']}.")
    w(f"Median of up to {meta['runs']} interleaved runs per tool and scale (a tool whose first run takes over "
      f"{meta['slow']} s runs once; one over {meta['timeout']} s is stopped). Wall is elapsed time; CPU is user + "
      "system time; peak memory is the largest resident set of any run (wait4's ru_maxrss).")
    w("")
    w("| Tool | Pages | Runs | Median wall | CPU | ms / page | Peak memory | KiB / page | playbook ÷ it |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for pages in meta["scales"]:
        pb, cold, check = stat("playbook", pages), stat("cold", pages), stat("check", pages)
        copy_ = stat("copy", pages)
        for name in ORDER:
            s = stat(name, pages)
            skipped = meta["skipped"].get(f"{name}-{pages}")
            if s is None and not skipped:
                continue
            label = LABEL[name]
            if s is None:
                w(f"| {label} | {pages:,} | | {skipped} | | | | | |")
                continue
            if "failed" in s:
                f = s["failed"]
                why = f"stopped at {meta['timeout']} s" if f["timed_out"] else f"failed (exit {f['status']})"
                w(f"| {label} | {pages:,} | | {why} | | | | | |")
                continue
            ratio = ""
            if name in ("zola", "hugo", "zensical", "mkdocs", "mdbook") and pb and "wall" in pb:
                ratio = f"build {fmt_ratio(pb['wall'], s['wall'])}"
                if cold and "wall" in cold:
                    ratio += f", empty folder {fmt_ratio(cold['wall'], s['wall'])}"
            elif name == "lychee" and check and "wall" in check:
                ratio = f"check {fmt_ratio(check['wall'], s['wall'])}"
            elif name in ("copy", "markdown", "libraries") and cold and "wall" in cold:
                ratio = f"empty folder {fmt_ratio(cold['wall'], s['wall'])}"
                if name in ("markdown", "libraries") and copy_ and "wall" in copy_:
                    ratio += f" (it ÷ cp -r {fmt_ratio(s['wall'], copy_['wall'])})"
            elif name == "check" and pb and "wall" in pb:
                ratio = f"(check ÷ build {fmt_ratio(s['wall'], pb['wall'])})"
            w(f"| {label} | {pages:,} | {s['runs']} | {fmt_s(s['wall'])} | {fmt_s(s['cpu'])} | "
              f"{s['wall'] * 1000 / pages:.3f} | {s['rss'] / 1024:.0f} MiB | {s['rss'] / pages:.1f} | {ratio} |")
    w("")
    serve = meta.get("serve")
    if serve:
        w(f"One-page edit in `playbook serve` at {serve['pages']:,} pages, {serve['edits']} edits of `{serve['page']}`: "
          f"rebuilt and served {serve['rebuild_median_ms']} ms (median; 90th percentile {serve['rebuild_p90_ms']} ms) "
          f"after the watcher's debounce; file written → new page served {serve['served_median_ms']} ms "
          f"(90th percentile {serve['served_p90_ms']} ms, debounce included). Server memory "
          f"{serve['rss_after_10_kib'] / 1024:.0f} MiB after 10 edits, {serve['rss_after_all_kib'] / 1024:.0f} MiB after {serve['edits']}.")
        w("")
    spawn_ = meta.get("spawn")
    if spawn_:
        w(f"`playbook --version`: {spawn_['version_ms']} ms (median of {spawn_['runs']}; starting `/bin/true` takes {spawn_['true_ms']} ms here).")
        w("")

    # Targets, at 10,000 pages (or the largest scale run below it).
    at = max([p for p in meta["scales"] if p <= 10000] or meta["scales"])
    pb, cold, check = stat("playbook", at), stat("cold", at), stat("check", at)
    zola, hugo, lychee, copy = stat("zola", at), stat("hugo", at), stat("lychee", at), stat("copy", at)

    def ok(s):
        return s is not None and "wall" in s

    targets = []
    if ok(pb) and ok(zola):
        targets.append(("build ≤ 0.5× Zola", pb["wall"] / zola["wall"], 0.5, "×"))
    if ok(pb) and ok(hugo):
        targets.append(("build ≤ 0.1× Hugo", pb["wall"] / hugo["wall"], 0.1, "×"))
    if ok(cold) and ok(copy):
        targets.append(("build into an empty folder ≤ 2× cp -r", cold["wall"] / copy["wall"], 2.0, "×"))
    if ok(pb) and ok(cold):
        targets.append(("peak memory < 300 MiB", max(pb["rss"], cold["rss"]) / 1024, 300, " MiB"))
    if ok(check) and ok(lychee):
        targets.append(("check ≤ 0.4× lychee", check["wall"] / lychee["wall"], 0.4, "×"))
    if ok(check):
        targets.append(("check < 0.5 s", check["wall"], 0.5, " s"))
    if serve and serve.get("rebuild_median_ms") is not None:
        targets.append(("one-page edit in serve rebuilt < 20 ms", serve["rebuild_median_ms"], 20, " ms"))
    if spawn_:
        targets.append(("--version < 5 ms", spawn_["version_ms"], 5, " ms"))
    if targets:
        w(f"Targets at {at:,} pages:")
        w("")
        w("| Target | Measured | Margin | Met |")
        w("|---|---:|---:|:-:|")
        for label, value, limit, unit in targets:
            w(f"| {label} | {value:.3g}{unit} | {(1 - value / limit) * 100:+.0f} % | {'yes' if value <= limit else '**no**'} |")
        w("")
        w("Margin: how far under the target (+) or over it (−), as a share of the target.")
        w("")
    w("What each tool had on:")
    w("")
    for name in ORDER:
        if any(k[0] == name for k in by) or any(k.startswith(name + "-") for k in meta["skipped"]):
            runs = f", {meta['run_files']} release runs" if meta.get("run_files") else " (no release runs: this playbook has none yet)"
            w(f"- {LABEL[name]}: {FEATURES[name].format(runs=runs)}.")
    w("")
    w("Commands (`$W` is the scratch folder, `$O` the output folder, `N` the pages):")
    w("")
    w("```")
    for name in ORDER:
        if name in meta["commands"]:
            w(f"{name + ':':<10} {meta['commands'][name]}")
    w("```")
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


def main(argv):
    if len(argv) >= 9 and argv[1] == "run" and argv[7] == "--":
        return run(argv[2], argv[3], argv[4], float(argv[5]), argv[6], argv[8:])
    if len(argv) == 4 and argv[1] == "spawn":
        return spawn(argv[2], int(argv[3]))
    if len(argv) == 5 and argv[1] == "report":
        return report(argv[2], argv[3], argv[4])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
