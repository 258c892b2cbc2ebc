#!/usr/bin/env python3
"""Times commands several times; reports the median wall time and the peak resident memory of the whole process tree
(dotnet plus the node process the jsii runtime starts), sampled every 20 ms from /proc. With "system_memory" it also
reports the machine's peak memory in use over what was in use before the command (MemTotal - MemAvailable), which
counts what leaves the tree (the compiler server, build nodes). With "json" the results go to stdout as JSON and the
readable lines to stderr."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
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


def system_used_kib():
    info = {}
    with open("/proc/meminfo") as f:
        for line in f:
            key, value = line.split(":", 1)
            info[key] = int(value.split()[0])
    return info["MemTotal"] - info["MemAvailable"]


def measure(cmd, env):
    baseline = system_used_kib()
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak, peak_system = 0, 0
        while proc.poll() is None:
            peak = max(peak, tree_rss_kib(proc.pid))
            peak_system = max(peak_system, system_used_kib() - baseline)
            time.sleep(0.02 if peak_system < 0 else 0.05)
        elapsed = time.monotonic() - start
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"error: {' '.join(cmd)} exited {proc.returncode}: {err.read().decode(errors='replace')[-3000:]}")
    return elapsed, peak, peak_system


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
            "peak_system_mib": round(max(s[2] for s in samples) / 1024),
        }
        r = results[name]
        print(f"{name:<14} median {r['median_s']:6.2f} s  (min {r['min_s']:.2f}, max {r['max_s']:.2f}, {runs} runs)  "
              f"peak RSS {r['peak_rss_mib']} MiB" + (f", machine +{r['peak_system_mib']} MiB" if spec.get("system_memory") else ""),
              file=sys.stderr if spec.get("json") else sys.stdout, flush=True)
    if spec.get("json"):
        json.dump(results, sys.stdout)
    return results


if __name__ == "__main__":
    main()
