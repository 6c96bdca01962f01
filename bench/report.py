#!/usr/bin/env python3
"""bench/report.py: bench/run's raw results -> results.md and a gnuplot script.

    report.py RAW.jsonl OUT.md CHART.gp OUT.png SERVER...

RAW holds one JSON object a line: {"server", "scenario", "run", "result"} with
wsload's --json output, or {"server", "scenario", "na": reason} for a
scenario a server cannot run here. The run's description comes from the
environment variable BENCH_META (key=value lines). CHART.gp, run by gnuplot,
draws OUT.png: per scenario and server, Bun's server CPU per message (bytes
per idle connection) divided by the server's, on a log scale.
"""
import json
import os
import sys

LABEL = {"salon-php": "Salon PHP", "salon-c": "Salon C core", "bun": "Bun", "node": "Node ws",
         "php": "pure PHP (select)", "php-tut": "pure PHP, tutorial unmask"}
COLOR = {"salon-php": "#1f5fa8", "salon-c": "#7fb3e6", "node": "#3f9f4f", "php": "#9a9a9a", "php-tut": "#5a5a5a"}
SCEN = {
    "echo100": ("echo 100 conns × 32 B, 1 in flight", "echo 100 × 32 B\\ndepth 1"),
    "echo100d8": ("echo 100 conns × 32 B, 8 in flight", "echo 100 × 32 B\\ndepth 8"),
    "echo1k": ("echo 1,000 conns × 32 B, 1 in flight", "echo 1000 × 32 B"),
    "echo16k": ("echo 100 conns × 16 KiB, 1 in flight", "echo 100 × 16 KiB"),
    "bcast": ("broadcast 1 → 1,000 × 64 B, max rate", "broadcast 1→1000\\nmax rate"),
    "bcast20": ("broadcast 1 → 1,000 × 64 B, 20 msg/s", "broadcast 1→1000\\n20 msg/s"),
    "churn": ("churn: connect, handshake, 1 message, close (8 in parallel)", "churn"),
    "idle10k": ("10,000 idle connections", "idle 10k\\n(bytes/conn)"),
    "idle100k": ("100,000 idle connections", "idle 100k\\n(bytes/conn)"),
}
ECHO = ["echo100", "echo100d8", "echo1k", "echo16k"]
LOAD = ECHO + ["bcast", "bcast20", "churn"]
IDLE = ["idle10k", "idle100k"]


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class Results:
    def __init__(self, path):
        self.runs, self.na = {}, {}
        for line in open(path):
            r = json.loads(line)
            key = (r["scenario"], r["server"])
            if "na" in r:
                self.na[key] = r["na"]
            else:
                self.runs.setdefault(key, []).append(r["result"])

    def stat(self, scen, srv, field):
        """(median, min, max) of a field over the runs that measured something."""
        v = [x[field] for x in self.runs.get((scen, srv), [])
             if x.get(field) is not None and x.get("ops", 0) > 0]
        return (median(v), min(v), max(v)) if v else None

    def med(self, scen, srv, field):
        s = self.stat(scen, srv, field)
        return s[0] if s else None

    def errors(self, scen, srv):
        return sum(x.get("errors", 0) + x.get("missing", 0) for x in self.runs.get((scen, srv), []))

    def gen_bound(self, scen, srv):
        return any(x.get("client_cpu_pct", 0) > 95 for x in self.runs.get((scen, srv), []))

    def has(self, scen, servers):
        return any((scen, s) in self.runs or (scen, s) in self.na for s in servers)


def num(x, digits):
    return ("{:,.%df}" % digits).format(x)


def cell(res, scen, srv, field, digits, mark_gen=False):
    if (scen, srv) in res.na:
        return "n/a: " + res.na[(scen, srv)].split(":")[0]
    s = res.stat(scen, srv, field)
    if not s:
        return "—"
    m, lo, hi = s
    c = num(m, digits) if lo == hi else f"{num(m, digits)} ({num(lo, digits)}–{num(hi, digits)})"
    if mark_gen and res.gen_bound(scen, srv):
        c += " †"
    e = res.errors(scen, srv)
    if e:
        c += f" ⚠ {e:,} err"
    return c


def table(out, res, servers, title, scens, field, digits, mark_gen=False):
    scens = [s for s in scens if res.has(s, servers)]
    if not scens:
        return
    out.append(f"### {title}")
    out.append("")
    out.append("| scenario | " + " | ".join(LABEL[s] for s in servers) + " |")
    out.append("|---|" + "---|" * len(servers))
    for sc in scens:
        out.append(f"| {SCEN[sc][0]} | " + " | ".join(cell(res, sc, s, field, digits, mark_gen) for s in servers) + " |")
    out.append("")


def latency_table(out, res, servers, scens):
    scens = [s for s in scens if res.has(s, servers)]
    if not scens:
        return
    out.append("### Latency p50 / p99, µs (median of the runs; echo: round trip; broadcast: sender to receiver; "
               "churn: one whole cycle)")
    out.append("")
    out.append("| scenario | " + " | ".join(LABEL[s] for s in servers) + " |")
    out.append("|---|" + "---|" * len(servers))
    for sc in scens:
        cells = []
        for s in servers:
            a, b = res.med(sc, s, "lat_p50_us"), res.med(sc, s, "lat_p99_us")
            if (sc, s) in res.na:
                cells.append("n/a")
            else:
                cells.append(f"{num(a, 0)} / {num(b, 0)}" if a is not None and b is not None else "—")
        out.append(f"| {SCEN[sc][0]} | " + " | ".join(cells) + " |")
    out.append("")


def ratio(a, b):
    """a / b, or None."""
    return a / b if a is not None and b else None


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


def targets(out, res):
    """The targets of issue 6, as ratios from this run."""
    cpu = lambda sc, s: res.med(sc, s, "server_cpu_per_op_us")
    rows = []

    def row(what, r, goal, ok):
        met = "—" if r is None else ("**met**" if ok(r) else "not met")
        rows.append(f"| {what} | {r if isinstance(r, str) else fmt_ratio(r)} | {goal} | {met} |")

    for sc in ECHO:
        r = ratio(cpu(sc, "bun"), cpu(sc, "salon-php"))
        row(f"Salon PHP vs Bun, {SCEN[sc][0]} (Bun's CPU/msg ÷ Salon's)", r, "≥ 1.0×", lambda r: r >= 1.0)
    r = ratio(cpu("echo100d8", "salon-c"), cpu("echo100d8", "salon-php"))
    row("Salon PHP vs Salon C core, pipelined echo (C's CPU/msg ÷ PHP's)", r, "≥ 0.8×", lambda r: r >= 0.8)
    r = ratio(cpu("bcast", "bun"), cpu("bcast", "salon-php"))
    row("Salon PHP vs Bun's server.publish, broadcast 1 → 1,000 (CPU/delivery)", r, "≥ 1.0×", lambda r: r >= 1.0)
    d = cpu("bcast", "salon-php")
    row("Salon PHP, server CPU per broadcast delivery", None if d is None else f"{d:.2f} µs", "< 1 µs",
        lambda r: d < 1.0)
    b = res.med("idle10k", "salon-php", "rss_per_conn_bytes")
    row("Salon PHP, server RSS per idle connection at 10,000", None if b is None else f"{b:,.0f} B", "≤ 400 B",
        lambda r: b <= 400)
    na = res.na.get(("idle100k", "salon-php"))
    runs = res.runs.get(("idle100k", "salon-php"), [])
    if na:
        rows.append(f"| Salon PHP holds 100,000 idle connections | n/a | all open | n/a: {na} |")
    elif runs:
        held = min(x.get("open", 0) for x in runs)
        rows.append(f"| Salon PHP holds 100,000 idle connections | {held:,} open | all open | "
                    f"{'**met**' if held >= 100000 else 'not met'} |")
    for sc in ["bcast", "echo16k"]:
        r = ratio(cpu(sc, "php-tut"), cpu(sc, "salon-php"))
        row(f"Salon PHP vs the tutorial's pure-PHP server, {SCEN[sc][0]} (its CPU/msg ÷ Salon's)", r, "≥ 10×",
            lambda r: r >= 10)
    for sc in ["bcast", "echo16k"]:
        r = ratio(cpu(sc, "php"), cpu(sc, "salon-php"))
        rows.append(f"| Salon PHP vs pure PHP with string-XOR unmasking, {SCEN[sc][0]} (for reference) | "
                    f"{'—' if r is None else fmt_ratio(r)} | — | — |")
    out.append("### Targets of issue 6 (ratios of µs of server CPU per message from this run; higher is better)")
    out.append("")
    out.append("| target | measured | goal | |")
    out.append("|---|---|---|---|")
    out.extend(rows)
    out.append("")


def vs_bun_table(out, res, servers):
    others = [s for s in servers if s != "bun"]
    if "bun" not in servers or not others:
        return
    out.append("### Every server against Bun (Bun's µs of server CPU per message, or bytes per idle connection, "
               "÷ the server's; above 1× = cheaper than Bun) — the chart")
    out.append("")
    out.append("| scenario | " + " | ".join(LABEL[s] for s in others) + " |")
    out.append("|---|" + "---|" * len(others))
    for sc in chart_scenarios(res, servers):
        cells = []
        for s in others:
            if (sc, s) in res.na:
                cells.append("n/a")
            else:
                cells.append(fmt_ratio(vs_bun(res, sc, s)))
        out.append(f"| {SCEN[sc][0]} | " + " | ".join(cells) + " |")
    out.append("")


def field_of(sc):
    return "rss_per_conn_bytes" if sc in IDLE else "server_cpu_per_op_us"


def vs_bun(res, sc, s):
    f = field_of(sc)
    return ratio(res.med(sc, "bun", f), res.med(sc, s, f))


def chart_scenarios(res, servers):
    return [sc for sc in LOAD + IDLE if res.med(sc, "bun", field_of(sc))]


YTICS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300]


def runs_text(meta):
    runs = meta.get("runs", "?")
    return "1 run" if runs == "1" else f"median of {runs} runs"


def chart(path, png, res, servers, meta):
    others = [s for s in servers if s != "bun"]
    scens = chart_scenarios(res, servers)
    if not scens or not others:
        print("report.py: no chart: it needs Bun's results and another server's", file=sys.stderr)
        return
    g, n = len(scens), max(len(others), 1)
    width = 0.8 / n
    vals = [v for sc in scens for s in others for v in [vs_bun(res, sc, s)] if v]
    lo = min(vals + [1.0]) / 2
    hi = max(vals + [1.0]) * 3
    L = ['set terminal pngcairo size 1500,720 font "DejaVu Sans,13"', f"set output '{png}'",
         'set title "Server CPU per message (idle: memory per connection) relative to Bun — '
         f'{meta.get("date", "")}, {meta.get("cpus", "?")} CPUs, {runs_text(meta)}" font ",15"',
         "set logscale y", f"set yrange [{lo}:{hi}]", f"set xrange [-0.5:{g - 0.5}]",
         'set ylabel "Bun ÷ this server (log scale; above 1 = cheaper than Bun)"',
         "set ytics (" + ", ".join(f"'{t:g}×' {t}" for t in YTICS if lo <= t <= hi) + ")", "set grid ytics mytics lc rgb '#dddddd'", "set ytics nomirror",
         "set xtics nomirror scale 0 font ',12' offset 0,-0.3", "set border 3", "set bmargin 5",
         "set key top left horizontal font ',13'", "set style fill solid 1.0 border lc rgb '#333333'",
         f"set arrow from -0.5,1 to {g - 0.5},1 nohead lw 2 lc rgb '#e07b00' front",
         f"set label 'Bun = 1×' at {g - 0.5},1 right offset -0.5,0.7 tc rgb '#e07b00' font ',12' front"]
    L.append("set xtics (" + ", ".join(f'"{SCEN[sc][1]}" {i}' for i, sc in enumerate(scens)) + ")")
    plots = []
    for k, s in enumerate(others):
        bars, up, down, na = [], [], [], []
        for i, sc in enumerate(scens):
            x = i - 0.4 + width * (k + 0.5)
            v = vs_bun(res, sc, s)
            if v:
                bars.append(f"{x:.3f} {v:.4g} {x - width / 2 * 0.92:.3f} {x + width / 2 * 0.92:.3f} "
                            f"{min(v, 1):.4g} {max(v, 1):.4g}")
                txt = f"{v:.2f}" if v < 10 else f"{v:.0f}"
                (up if v >= 1 else down).append(f'{x:.3f} {max(v, 1) * 1.08 if v >= 1 else v / 1.08:.4g} "{txt}"')
            elif (sc, s) in res.na:
                na.append(f'{x:.3f} {lo * 1.1:.4g} "n/a"')
        styles = {"b": f"using 1:2:3:4:5:6 with boxxyerror lc rgb '{COLOR.get(s, '#555555')}' title '{LABEL[s]}'",
                  "u": "using 1:2:3 with labels rotate by 90 left font ',11' notitle",
                  "d": "using 1:2:3 with labels rotate by 90 right font ',11' notitle",
                  "n": "using 1:2:3 with labels rotate by 90 left font ',10' tc rgb '#777777' notitle"}
        for name, rows in (("b", bars), ("u", up), ("d", down), ("n", na)):
            if not rows:   # gnuplot 5.4 crashes on some empty or all-NaN data blocks
                continue
            L.append(f"${name}{k} << EOD")
            L.extend(rows)
            L.append("EOD")
            plots.append(f"${name}{k} {styles[name]}")
    L.append("plot " + ", \\\n     ".join(plots))
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


def main():
    raw, out_md, chart_gp, png = sys.argv[1:5]
    servers = sys.argv[5:]
    meta = dict(line.split("=", 1) for line in os.environ.get("BENCH_META", "").splitlines() if "=" in line)
    res = Results(raw)
    out = ["# Salon benchmark: the matrix of issue 6", ""]
    out.append(f"{meta.get('mode', '?')} run of `bench/run`, {meta.get('date', '?')}: {meta.get('cpus', '?')} CPUs "
               f"({meta.get('cpu', '?')}), Linux {meta.get('kernel', '?')}; load average {meta.get('load0', '?')} "
               f"at the start, {meta.get('load1', '?')} at the end; {meta.get('secs', '?')} s of measurements. "
               f"Source {meta.get('rev', '?')}; {meta.get('versions', '')}.")
    out.append("")
    out.append(f"Server pinned to CPU 0, `bench/wsload` to CPU 1; {meta.get('runs', '?')} runs of "
               f"{meta.get('dur', '?')} s per scenario and server (idle: a fresh server per run, connections held "
               f"{meta.get('hold', '?')} s), interleaved round-robin; median (min–max). µs of server CPU per "
               "message (utime + stime of the server process from /proc over the measured window ÷ messages) is "
               "the figure to compare: it barely moves when the machine is busy, msgs/s does. "
               f"Raw results: `{meta.get('raw', '?')}`.")
    out.append("")
    if chart_scenarios(res, servers) and len(servers) > 1:
        out.append(f"![server CPU per message relative to Bun]({png})")
        out.append("")
    targets(out, res)
    vs_bun_table(out, res, servers)
    table(out, res, servers, "µs of server CPU per message (broadcast: per delivery; churn: per cycle) — "
          "lower is better", LOAD, "server_cpu_per_op_us", 2)
    table(out, res, servers, "Messages/s (broadcast: deliveries/s; churn: cycles/s) — higher is better",
          LOAD, "ops_per_s", 0, mark_gen=True)
    latency_table(out, res, servers, LOAD)
    table(out, res, servers, "Server memory per idle connection, bytes (VmRSS growth ÷ connections) — "
          "lower is better", IDLE, "rss_per_conn_bytes", 0)
    table(out, res, servers, "µs of server CPU per handshake (opening the idle connections)", IDLE,
          "server_cpu_per_op_us", 1)
    table(out, res, servers, "Handshakes/s (opening the idle connections)", IDLE, "ops_per_s", 0)
    notes = []
    if any(res.gen_bound(sc, s) for sc in LOAD for s in servers):
        notes.append("† the generator was CPU-bound (over 95 % of its core) in at least one run: msgs/s is then "
                     "the generator's limit; the CPU per message still holds.")
    if any(res.errors(sc, s) for sc in LOAD + IDLE for s in servers):
        notes.append("⚠ errors or missing broadcast deliveries, summed over the runs: see the raw results.")
    for reason in sorted(set(res.na.values())):
        notes.append(f"n/a: {reason}.")
    notes.append("The pure-PHP server (`bench/servers/pure_php.php`) is the classic tutorial's design — one "
                 "process, `socket_select()` over an array of sockets, frames decoded and encoded in PHP, one "
                 "write per message per recipient — with its framing bugs fixed. `select()` only takes descriptors "
                 "below FD_SETSIZE (1024), so it serves at most 1,010 connections and refuses more with a 503. "
                 "It runs twice: unmasking byte by byte in a PHP loop as the tutorial does (`--tutorial`, "
                 "the baseline of the 10× target), and with one string XOR, the fastest plain PHP can do.")
    notes.append("With one message in flight the server sleeps and wakes for nearly every message: depth-1 echo "
                 "and paced broadcast mostly measure the kernel (and on a VM the hypervisor), not the server.")
    for n in notes:
        out.append("- " + n)
    out.append("")
    with open(out_md, "w") as f:
        f.write("\n".join(out))
    chart(chart_gp, png_path(out_md, png), res, servers, meta)


def png_path(out_md, png):
    return os.path.join(os.path.dirname(os.path.abspath(out_md)), png)


if __name__ == "__main__":
    main()
