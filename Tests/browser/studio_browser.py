#!/usr/bin/env python3
"""lspsim studio in a real browser (headless Chromium driven by Playwright for Python).

Starts `lspsim studio --port 0` on 127.0.0.1 in the package folder, then:
  * over plain HTTP: the page's Content-Security-Policy, no inline script or style, a path
    traversal answered 404, an oversized body answered 413;
  * in Chromium: picks the unitary scenario, types a bad pooled fraction (1.5) and expects the
    loader's message next to the control; types a good one, presses Compare and reads the
    figures from the page;
  * checks those figures equal `lspsim sweep` + `lspsim compare` on a two-point sweep
    (current and changed pooled fraction, same replications and seed);
  * starts the 10,000-replication comparison, sees its progress stream, cancels it;
  * optionally saves a screenshot of the page (--screenshot PATH).
The server is stopped by its pid. Exits non-zero, saying why, on any failure.

Usage: studio_browser.py --binary .build/debug/lspsim --root . [--screenshot docs/studio.png]
"""
import argparse
from http.client import HTTPConnection
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sys.exit("missing Python package 'playwright': install it with `pip install playwright` "
             "(or run `bash .ci/install-prerequisites`)")

# Debian's chromium (Playwright's own browser download cannot work here); LSPSIM_CHROMIUM overrides.
CHROMIUM = os.environ.get("LSPSIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
POOLED = "0.1"  # the changed pooled fraction (unitary.yaml has 0.05)
REPLICATIONS = 1000
SEED = 1


def fail(message):
    raise AssertionError(message)


def check(condition, message):
    if not condition:
        fail(message)


def http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def start_server(binary, root):
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([binary, "studio", "--port", "0", "--host", "127.0.0.1"], cwd=root,
                               stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        log.seek(0)
        fail(f"lspsim studio did not print its address; stdout: {line!r} stderr: {log.read()[-2000:]!r}")
    return process, match.group(0)


def stop_server(process):
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def check_http(base):
    status, headers, body = http("GET", base)
    check(status == 200, f"GET / answered {status}")
    policy = {k.lower(): v for k, v in headers.items()}.get("content-security-policy", "")
    check("default-src 'self'" in policy, f"GET / has Content-Security-Policy {policy!r}")
    html = body.decode()
    check(not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "the page has an inline <script>")
    check("<style" not in html and " style=" not in html, "the page has inline style")
    check("http://" not in html and "https://" not in html, "the page refers to another site")
    for asset in ["app.js", "app.css"]:
        status, _, _ = http("GET", base + asset)
        check(status == 200, f"GET /{asset} answered {status}")
    for path in ["scenario/..%2F..%2Fetc%2Fpasswd", "scenario/../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
                 "api/scenarios/..%2Funitary", "app.js%2F..%2F..%2Fetc%2Fpasswd", "etc/passwd"]:
        status, _, body = http("GET", base + path)
        check(status == 404, f"GET /{path} answered {status}, not 404")
        check(b"root:" not in body, f"GET /{path} returned a system file")
    status, _, body = http("GET", base + "scenario/unitary")
    check(status == 200 and b"Kingsbridge" in body, f"GET /scenario/unitary answered {status}")
    big = json.dumps({"scenario": "unitary", "governance": {"pooled_fraction": "0.1"}, "pad": "x" * 100_000}).encode()
    status, _, _ = http("POST", base + "api/compare", big, {"Content-Type": "application/json"})
    check(status == 413, f"a 100 kB request body answered {status}, not 413")
    status, _, _ = http("POST", base + "api/compare", json.dumps({"scenario": "unitary"}).encode(), {"Content-Type": "text/plain"})
    check(status == 415, f"a text/plain POST (as another site's form could send) answered {status}, not 415")
    status, _, _ = http("GET", base + "api/scenarios", None, {"Host": "attacker.example:80"})
    check(status == 421, f"a request addressed to another host name (DNS rebinding) answered {status}, not 421")
    check_stream_close(base)
    status, _, body = http("POST", base + "api/compare",
                           json.dumps({"scenario": "unitary", "governance": {"pooled_fraction": 1.5}}).encode(),
                           {"Content-Type": "application/json"})
    errors = json.loads(body).get("errors", [])
    check(status == 422 and any(e["path"] == "governance.pooled_fraction" for e in errors),
          f"pooled fraction 1.5 answered {status} {errors}")


def check_stream_close(base):
    """Closing a long comparison's event stream stops its workers."""
    status, _, body = http("POST", base + "api/jobs",
                           json.dumps({"scenario": "unitary", "governance": {"scrutiny": "0.6"}, "replications": 100000}).encode(),
                           {"Content-Type": "application/json"})
    check(status == 201, f"POST /api/jobs answered {status}: {body[:300]!r}")
    job = json.loads(body)["id"]
    host, port = re.match(r"http://([^:/]+):(\d+)/", base).groups()
    connection = HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", f"/api/jobs/{job}/events")
    response = connection.getresponse()
    check(response.status == 200 and response.getheader("Content-Type") == "text/event-stream",
          f"the event stream answered {response.status} {response.getheader('Content-Type')}")
    seen = b""
    while b"event: progress" not in seen:
        seen += response.fp.readline()
    connection.sock.shutdown(socket.SHUT_RDWR)
    connection.close()
    deadline = time.time() + 20
    while time.time() < deadline:
        state = json.loads(http("GET", base + f"api/jobs/{job}")[2])
        if state["cancelled"]:
            break
        time.sleep(0.1)
    check(state["cancelled"] and state["done"] < state["total"], f"closing the stream did not stop the workers: {state}")
    time.sleep(0.5)
    after = json.loads(http("GET", base + f"api/jobs/{job}")[2])
    check(after["done"] <= state["done"] + 2 * (os.cpu_count() or 1), f"workers went on after the stream closed: {state} then {after}")


def library_comparison(binary, root, current_pooled, folder):
    """The same comparison through `lspsim sweep` and `lspsim compare`."""
    sweep = os.path.join(folder, "two-point.yaml")
    with open(sweep, "w") as f:
        f.write(f"""name: studio check
scenarios: [{os.path.join(os.path.abspath(root), 'scenarios', 'unitary.yaml')}]
factors:
  - path: governance.pooled_fraction
    values: [{current_pooled}, {POOLED}]
design:
  type: grid
replications: {REPLICATIONS}
seed: {SEED}
outputs:
  indicators: false
  quarters: false
""")
    out = os.path.join(folder, "sweep")
    run = subprocess.run([binary, "sweep", sweep, "--out", out], cwd=folder, capture_output=True, text=True)
    check(run.returncode == 0, f"lspsim sweep failed: {run.stderr[-2000:]}")
    results = {}
    for metric in ["targets_met_share", "mean_progress"]:
        run = subprocess.run([binary, "compare", out, "--factor", "governance.pooled_fraction", "--baseline",
                              str(current_pooled), "--metric", metric, "--format", "json"],
                             cwd=folder, capture_output=True, text=True)
        check(run.returncode == 0, f"lspsim compare failed: {run.stderr[-2000:]}")
        comparisons = json.loads(run.stdout)["comparisons"]
        check(len(comparisons) == 1, f"lspsim compare gave {comparisons}")
        results[metric] = comparisons[0]
    return results


def same(a, b, what):
    check(math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12), f"{what}: page {a} != library {b}")


def browser_checks(base, binary, root, screenshot):
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # (422 is the expected answer to the bad value typed below.)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "status of 422" not in m.text else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: problems.append("request elsewhere: " + r.url) if not r.url.startswith(base) else None)
        page.goto(base)
        page.wait_for_selector("#scenario option[value=unitary]", state="attached")
        page.select_option("#scenario", "unitary")
        page.wait_for_selector("#current-pooled_fraction:has-text('0.05')")
        current_pooled = page.input_value("#pooled_fraction")

        # A bad value: the loader's message appears next to the control, and Compare runs nothing.
        page.fill("#pooled_fraction", "1.5")
        page.wait_for_selector("#error-pooled_fraction:not(:empty)")
        message = page.text_content("#error-pooled_fraction")
        check(page.is_visible("#error-pooled_fraction"), "the pooled fraction's error is not visible")
        check(message.startswith("governance.pooled_fraction: ") and "1.5" in message,
              f"the error next to the pooled fraction does not give the field path and the value: {message!r}")
        page.click("#compare")
        page.wait_for_selector("#status:has-text('Not run')")
        check(page.is_hidden("#result"), "a comparison ran with pooled fraction 1.5")
        check(page.text_content("#error-pooled_fraction") == message, "the error moved after Compare")

        # A good value: the error goes, Compare runs, the figures appear.
        page.fill("#pooled_fraction", POOLED)
        page.wait_for_selector("#error-pooled_fraction:empty", state="attached")
        started = time.perf_counter()
        page.click("#compare")
        page.wait_for_selector("#diff-targets_met_share .difference", timeout=120_000)
        browser_ms = (time.perf_counter() - started) * 1000
        figures = {}
        for measure in ["targets_met_share", "mean_progress"]:
            row = f"#diff-{measure}"
            figures[measure] = {
                "baseline_mean": page.get_attribute(f"{row} .current-mean", "data-value"),
                "option_mean": page.get_attribute(f"{row} .changed-mean", "data-value"),
                "difference": page.get_attribute(f"{row} .difference", "data-value"),
                "ci95_low": page.get_attribute(f"{row} .interval", "data-lower"),
                "ci95_high": page.get_attribute(f"{row} .interval", "data-upper"),
                "share_better": page.get_attribute(f"{row} .share-better", "data-value"),
                "share_worse": page.get_attribute(f"{row} .share-worse", "data-value"),
                "pairs": page.text_content(f"{row} .pairs"),
            }
        check(page.locator("#result svg").count() == 2, "the result has not two charts")
        for index in range(2):  # rendered as SVG, not as stray text
            box = page.locator("#result svg").nth(index).bounding_box()
            check(box and box["width"] > 400 and box["height"] > 200, f"chart {index + 1} is not drawn: {box}")
            check(page.locator("#result svg").nth(index).locator("path, polyline, line").first.bounding_box() is not None,
                  f"chart {index + 1} has no drawn lines")
        check(page.locator("#indicator-chances tr[data-indicator]").count() == 10, "not 10 LAA indicators shown")
        check(page.locator("#history th").count() >= 2, "the session's list of options tried is empty")
        headline = page.text_content("#headline")

        if screenshot:
            page.screenshot(path=screenshot, full_page=True)

        # Downloads: the changed scenario (it must load and validate) and the report.
        with page.expect_download() as info:
            page.click("#download-yaml")
        yaml_path = info.value.path()
        validate = subprocess.run([binary, "validate", yaml_path], capture_output=True, text=True)
        check(validate.returncode == 0, f"the downloaded scenario does not validate: {validate.stdout} {validate.stderr}")
        with open(yaml_path) as f:
            check(re.search(r"pooled_fraction: 0\.1\b", f.read()), "the downloaded scenario lacks pooled_fraction: 0.1")
        with page.expect_download() as info:
            page.click("#download-report")
        with open(info.value.path()) as f:
            report = f.read()
        check("<svg" in report and "Paired differences" in report and "<script" not in report
              and "src=" not in report, "the downloaded report is not a self-contained comparison")

        # The long comparison: progress streams in, Cancel stops it.
        page.click("#long")
        page.wait_for_selector("#status:has-text('of 10000 paired replications')", timeout=120_000)
        page.click("#cancel")
        page.wait_for_selector("#status:has-text('Cancelled')", timeout=60_000)
        status = page.text_content("#status")
        done = int(re.search(r"after (\d+) of 10000", status).group(1))
        check(done < 10000, f"cancel did not stop the long comparison: {status}")
        browser.close()
    check(not problems, f"the browser reported problems: {problems}")

    with tempfile.TemporaryDirectory() as folder:
        library = library_comparison(binary, root, current_pooled, folder)
    for measure, values in figures.items():
        for key in ["baseline_mean", "option_mean", "difference", "ci95_low", "ci95_high", "share_better", "share_worse"]:
            same(values[key], library[measure][key], f"{measure} {key}")
        check(int(values["pairs"]) == library[measure]["pairs"] == REPLICATIONS, f"{measure} pairs")
    print(f"page figures equal lspsim sweep + compare: {headline}")
    print(f"error shown for pooled fraction 1.5: {message}")
    print(f"long comparison cancelled after {done} of 10000; Compare to rendered figures {browser_ms:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(CHROMIUM):
        sys.exit(f"missing {CHROMIUM}: install Debian's chromium (`apt-get install chromium`, or run `bash .ci/install-prerequisites`)")
    process, base = start_server(binary, args.root)
    try:
        check_http(base)
        browser_checks(base, binary, args.root, args.screenshot)
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        stop_server(process)
    if process.returncode != 0:
        print(f"FAILED: lspsim studio ended with status {process.returncode} on SIGTERM, not 0", file=sys.stderr)
        return 1
    print("lspsim studio: browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
