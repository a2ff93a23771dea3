#!/usr/bin/env python3
"""Time one-page edits inside `playbook serve`.

Usage: serve_edit.py PLAYBOOK ROOT PAGE EDITS

Starts `PLAYBOOK serve --root ROOT` on a free loopback port, waits for the
first build, then EDITS times: appends a unique marker to content/PAGE,
and polls the page's URL until the served HTML contains it. Prints one JSON
object: the median and 90th percentile of the time from the write to the
page being served (it includes the file watcher's 40 ms debounce), of the
server's own rebuild time (from its `rebuilt ... in N ms` line: the time
from the debounced change to the new page being served), and the server's
resident memory after the first edits and after the last.
"""
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    playbook, root, page, edits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    port = free_port()
    server = subprocess.Popen(
        [playbook, "serve", "--root", root, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    rebuilt_ms = []
    built = threading.Event()

    def read_stderr():
        for line in server.stderr:
            m = re.match(r"rebuilt \d+ of \d+ pages in ([\d.]+) ms", line)
            if m:
                rebuilt_ms.append(float(m.group(1)))
            if line.startswith("built "):
                built.set()

    threading.Thread(target=read_stderr, daemon=True).start()
    try:
        if not built.wait(600):
            sys.exit("serve did not finish its first build")
        source = os.path.join(root, "content", page)
        url = "/" + page[: -len(".md")] + ".html"
        with open(source) as f:
            original = f.read()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        served_ms, rss_early = [], 0
        for i in range(edits):
            marker = f"edit-marker-{i}-{time.time_ns()}"
            started = time.perf_counter()
            with open(source, "w") as f:
                f.write(original + f"\n\nEdited: {marker}.\n")
            while True:
                conn.request("GET", url)
                body = conn.getresponse().read()
                if marker.encode() in body:
                    break
                if time.perf_counter() - started > 30:
                    sys.exit(f"edit {i} was not served within 30 s")
                time.sleep(0.001)
            served_ms.append((time.perf_counter() - started) * 1000)
            if i == min(9, edits - 1):
                # Measured as at the end: after the search index has caught up.
                time.sleep(0.5)
                rss_early = rss_kib(server.pid)
        time.sleep(0.5)  # the search index follows each page
        rss_late = rss_kib(server.pid)
        with open(source, "w") as f:
            f.write(original)

        def q(values, p):
            values = sorted(values)
            return values[min(len(values) - 1, int(p * len(values)))] if values else None

        print(json.dumps({
            "edits": edits,
            "served_median_ms": round(statistics.median(served_ms), 1),
            "served_p90_ms": round(q(served_ms, 0.9), 1),
            "rebuild_median_ms": statistics.median(rebuilt_ms) if rebuilt_ms else None,
            "rebuild_p90_ms": q(rebuilt_ms, 0.9),
            "rss_after_10_kib": rss_early,
            "rss_after_all_kib": rss_late,
        }))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
