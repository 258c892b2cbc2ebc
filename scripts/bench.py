#!/usr/bin/env python3
"""Times commands several times; reports the median wall time and the peak resident memory of the whole process tree
(dotnet plus the node process the jsii runtime starts), sampled every 20 ms from /proc."""
import json
import os
import statistics
import subprocess
import sys
import time


def tree_rss_kib(root_pid):
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def measure(cmd, env):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.02)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, peak


def main():
    spec = json.loads(sys.argv[1])
    runs = int(spec["runs"])
    results = {}
    for name, cmd in spec["commands"].items():
        env = dict(os.environ, **spec.get("env", {}).get(name, {}))
        samples = [measure(cmd, env) for _ in range(runs)]
        times = [s[0] for s in samples]
        results[name] = {
            "runs": runs,
            "median_s": round(statistics.median(times), 2),
            "min_s": round(min(times), 2),
            "max_s": round(max(times), 2),
            "peak_rss_mib": round(max(s[1] for s in samples) / 1024),
        }
        r = results[name]
        print(f"{name:<14} median {r['median_s']:6.2f} s  (min {r['min_s']:.2f}, max {r['max_s']:.2f}, {runs} runs)  peak RSS {r['peak_rss_mib']} MiB", flush=True)
    json.dump(results, sys.stdout if spec.get("json") else open(os.devnull, "w"))
    return results


if __name__ == "__main__":
    main()
