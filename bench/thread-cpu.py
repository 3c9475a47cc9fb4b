"""CPU per thread of a process over a window: thread-cpu.py PID SECONDS [DELAY]. First line: the whole process."""
import os, sys, time

pid, secs = sys.argv[1], float(sys.argv[2])
time.sleep(float(sys.argv[3]) if len(sys.argv) > 3 else 0)


def snap():
    ticks = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            stat = open(f'/proc/{pid}/task/{tid}/stat').read()
            name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
        except OSError:
            continue
        fields = stat[stat.rindex(')') + 2:].split()
        ticks[tid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    return ticks


a = snap(); t0 = time.time(); time.sleep(secs); b = snap(); dt = time.time() - t0
hz = os.sysconf('SC_CLK_TCK')
rows = sorted(((b[t][1] - a.get(t, ('', 0))[1], t, b[t][0]) for t in b), reverse=True)
print(f"server CPU {sum(r[0] for r in rows) / hz / dt:.2f} cores over {dt:.1f}s")
for ticks, tid, name in rows[:12]:
    print(f"  {name:<20} tid {tid:<8} {ticks / hz / dt:.2f} cores")
