"""Load generation with wrk: each run asks for paths at random from a list, as a browser would."""

import json
import subprocess
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wrk" / "paths.lua"
BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def wrk(base_url, paths_file, duration, connections=16, threads=2):
    """requests/s, p50 and p99 in ms, and errors of a wrk run over the paths in `paths_file`."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s"]
    command += ["-H", f"User-Agent: {BROWSER}", "-H", "Accept-Language: zh-CN,zh;q=0.9", "-s", str(LUA)]
    command += [base_url, "--", str(paths_file)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    result = json.loads(output.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1_000_000
    errors = sum(result[key] for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "requests": result["requests"],
        "rps": result["requests"] / seconds,
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": errors,
    }
