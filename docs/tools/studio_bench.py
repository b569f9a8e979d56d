#!/usr/bin/env python3
"""Speed of `lspsim studio`'s Compare, end to end.

Starts `lspsim studio --port 0` (build it in release mode first), then times
  1. HTTP: POST /api/compare for a 2 x REPLICATIONS paired comparison on scenarios/unitary.yaml
     (pooled fraction changed), from sending the request to having parsed the JSON answer;
  2. browser (with --browser): in headless Chromium through Playwright, from clicking Compare to
     the figures being rendered in the page.
Each is repeated (after one warm-up) and the median, minimum and maximum are printed with the
machine and the command. Stops the server by its pid.

Usage: python3 docs/tools/studio_bench.py --binary .build/release/lspsim [--repeats 15] [--browser]
"""
import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/lspsim")
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    server = subprocess.Popen([os.path.abspath(args.binary), "studio", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group(0)
        body = json.dumps({"scenario": "unitary", "governance": {"pooled_fraction": "0.1"},
                           "replications": args.replications, "seed": 1}).encode()
        http, simulated = [], []
        for i in range(args.repeats + 1):
            started = time.perf_counter()
            request = urllib.request.Request(base + "api/compare", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:
                answer = json.loads(response.read())
            elapsed = (time.perf_counter() - started) * 1000
            if i > 0:
                http.append(elapsed)
                simulated.append(answer["seconds"] * 1000)
        cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
        print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
        print(f"command: python3 docs/tools/studio_bench.py --binary {args.binary} --replications {args.replications} --repeats {args.repeats}" + (" --browser" if args.browser else ""))
        def line(name, values):
            print(f"{name}: median {statistics.median(values):.0f} ms, min {min(values):.0f} ms, max {max(values):.0f} ms ({len(values)} runs)")
        line(f"HTTP request to JSON answer, 2 x {args.replications} paired replications", http)
        line("  of which simulation and statistics (server's own clock)", simulated)
        if args.browser:
            from playwright.sync_api import sync_playwright
            rendered, on_page = [], []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(base)
                page.wait_for_selector("#scenario option[value=unitary]", state="attached")
                page.select_option("#scenario", "unitary")
                page.wait_for_selector("#current-pooled_fraction:not(:empty)")
                page.fill("#replications", str(args.replications))
                page.fill("#pooled_fraction", "0.1")
                for i in range(args.repeats + 1):
                    # (The page's CSP forbids eval, so no wait_for_function: selectors only.)
                    started = time.perf_counter()
                    page.click("#compare")
                    page.wait_for_selector(f"#result[data-comparison='{args.repeats + 2 + i}']", state="attached")
                    if i > 0:
                        rendered.append((time.perf_counter() - started) * 1000)
                        on_page.append(float(re.search(r"\((\d+) ms on the page\)", page.text_content("#status")).group(1)))
                browser.close()
            line("browser: click Compare to rendered figures (Playwright, from outside)", rendered)
            line("  the page's own clock: request sent to figures rendered", on_page)
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
