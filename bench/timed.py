#!/usr/bin/env python3
"""Run a command once; print its wall time (s) and CPU time (user + system,
ms) from wait4's rusage. Exit with its status. Output is discarded."""
import os, subprocess, sys, time

t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.stderr.write(p.stderr.read().decode(errors="replace"))
print(f"{wall:.4f} {(ru.ru_utime + ru.ru_stime) * 1000:.1f}")
sys.exit(code)
