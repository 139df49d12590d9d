"""Load on the production-shaped run: `make serve` (gunicorn with 2 x cores + 1 workers, a Celery
worker and beat, DEBUG off, JSON logs) on PostgreSQL and Redis, 60 s at 50 connections with a 2 s
client timeout, wrk rotating over the pages people use most as bench/pages.py's heavy person.

Target: zero errors (no socket error, no timeout, no answer other than 200). Speed targets are
bench/pages.py's; this proves nothing breaks. Run with `python bench/serve_load.py`
(`--duration`, `--connections`); needs PostgreSQL, Redis and wrk, like bench/pages.py.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402 (bench/pages.py: the data, the sign-in, the wrk figures)

ROOT = pages.ROOT

ROTATION = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wait_for(url: str, log: Path, server: subprocess.Popen, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"make serve exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"make serve did not answer {url} within {seconds} s:\n{log.read_text()[-3000:]}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    if shutil.which("wrk") is None:
        sys.exit("bench/serve_load.py needs wrk on the PATH")
    tmp = Path(tempfile.mkdtemp(prefix="careerpath-serve-"))
    env = pages.bench_environment(tmp)
    os.environ.update(env)
    sys.path[:0] = [str(tmp), str(ROOT)]
    server = None
    try:
        pages.recreate_database()
        heavy, _ = pages.prepare_database()
        port = pages.free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp / "serve.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                ["make", "serve"],
                cwd=ROOT,
                env={**os.environ, "PORT": str(port), "BIND": "127.0.0.1"},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(f"{base}/healthz", log, server)
        cookie = pages.log_in(base, heavy.email)
        paths = [
            "/",
            f"/plans/{heavy.plan_pk}/",
            f"/goals/{heavy.goal_pk}/",
            "/plans/",
            f"/goals/plan/{heavy.plan_pk}/",
            "/ladders/product-management/",
        ]
        for path in paths:
            pages.check_page(base + path, cookie)
        script = tmp / "rotation.lua"
        script.write_text(ROTATION % ", ".join(f'"{p}"' for p in paths) + pages.WRK_SCRIPT)
        workers = subprocess.run(
            ["pgrep", "-fc", "bin/gunicorn careerpath.wsgi"], capture_output=True, text=True
        )
        print(
            f"make serve on {base}: gunicorn processes {workers.stdout.strip()} (master included), "
            f"{os.cpu_count()} CPUs; wrk -t{pages.WRK_THREADS} -c{args.connections} -d{args.duration}s "
            f"--timeout 2s over {len(paths)} pages as {heavy.label}"
        )
        result = subprocess.run(
            [
                "wrk",
                f"-t{pages.WRK_THREADS}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--latency",
                "--timeout",
                "2s",
                "-s",
                str(script),
                "-H",
                f"Cookie: {cookie}",
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 60,
        )
        line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH ")), None)
        if result.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}\n{result.stderr}")
        f = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
        errors = f["connect"] + f["read"] + f["write"] + f["timeout"] + f["not200"]
        seconds = f["duration_us"] / 1e6
        print(
            f"  {f['requests']:,} requests, {f['requests'] / seconds:.1f} req/s, p50 {f['p50'] / 1000:.1f} / "
            f"p95 {f['p95'] / 1000:.1f} / p99 {f['p99'] / 1000:.1f} ms"
        )
        last_bad = f" (the last one {f['last_bad']})" if f["not200"] else ""
        print(
            f"  errors {errors}: timeouts (> 2 s) {f['timeout']}, connect {f['connect']}, read {f['read']}, "
            f"write {f['write']}, not 200 {f['not200']}{last_bad}"
        )
        json_lines = sum(1 for ln in log.read_text().splitlines() if '| {"time"' in ln)
        print(f"  JSON log lines written meanwhile: {json_lines:,}")
        print(
            f"  target: zero errors at {args.connections} connections for {args.duration} s: {'ok' if errors == 0 else 'MISSED'}"
        )
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        pages.drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
