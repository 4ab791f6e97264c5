#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/mydemo-trace-report-test.sh: test tools/mydemo-trace-report on the
# host, on a synthetic `trace-cmd report` text with known numbers, under
# every awk at hand: the host's awk and busybox's (sh and awk: the guest's).
# Prints "ok - NAME" or "not ok - NAME" and why per case (tools/check counts
# them); exits 1 if any failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
report=$top/tools/mydemo-trace-report
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"

# The trace. Minor 0 over exactly 2 s (100.000000 .. 102.000000):
#   100 writes of 4096 bytes, 2 failing (EAGAIN); 50 reads of 8192 bytes,
#   1 failing (ERESTARTSYS); 100 read waits woken after 1, 2, ... 100 us,
#   80 of them by a wake-up that took 0.1, 0.2, ... 8 us to run, 20 by a
#   signal (ret -512); 3 write waits of 5, 7, 3 us; SIGIO 4 POLL_IN,
#   2 POLL_OUT, 1 POLL_HUP; 10 irq records, 3 overruns; 2 opens and
#   releases; added and removed.
# Minor 10: one read (no span, no throughput). Minor 3: two writes.
# In between: trace-cmd's header, other events, a comm with a space, the
# latency columns, an unknown mydemo event and a line without a minor.
awk 'BEGIN {
	print "version = 6"
	print "cpus=2"
	ev("100.000000", "mydemo_device_add", "minor=0 fifo_size=65536")
	ev("100.000001", "mydemo_open", "minor=0 mode=w flags=0x8001")
	ev("100.000002", "mydemo_open", "minor=0 mode=r flags=0x8000")
	ev("100.000003", "mydemo_fasync", "minor=0 action=subscribe band=0 subscribers=1")
	for (i = 1; i <= 100; i++) {
		ev(sprintf("%.6f", 100 + i * 0.01), "mydemo_write",
		   "minor=0 requested=4096 done=4096 level=4096")
		ev(sprintf("%.6f", 100.001 + i * 0.01), "mydemo_wait", "minor=0 dir=read level=0")
		ev(sprintf("%.6f", 100.002 + i * 0.01), "mydemo_wake",
		   sprintf("minor=0 dir=read waited_ns=%d wake_ns=%d ret=%d",
			   i * 1000, i <= 80 ? i * 100 : 0, i <= 80 ? 0 : -512))
		if (i <= 50)
			ev(sprintf("%.6f", 100.003 + i * 0.01), "mydemo_read",
			   "minor=0 requested=8192 done=8192 level=0")
	}
	ev("101.500000", "mydemo_write", "minor=0 requested=4096 done=-11 level=65536")
	ev("101.500001", "mydemo_write", "minor=0 requested=4096 done=-11 level=65536")
	ev("101.500002", "mydemo_read", "minor=0 requested=10 done=-512 level=0")
	split("5 7 3", w, " ")
	for (i = 1; i <= 3; i++) {
		ev(sprintf("%.6f", 101.6 + i * 0.01), "mydemo_wait", "minor=0 dir=write level=65536")
		ev(sprintf("%.6f", 101.605 + i * 0.01), "mydemo_wake",
		   "minor=0 dir=write waited_ns=" w[i] "000 wake_ns=0 ret=0")
	}
	for (i = 1; i <= 7; i++)
		ev(sprintf("%.6f", 101.7 + i * 0.001), "mydemo_fasync",
		   "minor=0 action=signal band=" (i <= 4 ? "POLL_IN" : i <= 6 ? "POLL_OUT" : "POLL_HUP") " subscribers=1")
	for (i = 1; i <= 10; i++)
		ev(sprintf("%.6f", 101.8 + i * 0.001), "mydemo_irq", "minor=0 seq=" i - 1 " ring=1")
	for (i = 1; i <= 3; i++)
		ev(sprintf("%.6f", 101.85 + i * 0.001), "mydemo_overrun", "minor=0 seq=" 10 + i " overruns=" i)
	ev("101.900000", "mydemo_fasync", "minor=0 action=unsubscribe band=0 subscribers=0")
	ev("101.900001", "mydemo_release", "minor=0 mode=w flags=0x8001")
	ev("101.900002", "mydemo_release", "minor=0 mode=r flags=0x8000")
	ev("102.000000", "mydemo_device_remove", "minor=0 fifo_size=65536")
	ev("100.500000", "mydemo_read", "minor=10 requested=1 done=1 level=0")
	ev("100.600000", "mydemo_write", "minor=3 requested=100 done=100 level=100")
	ev("100.850000", "mydemo_write", "minor=3 requested=100 done=50 level=150")
	ev("100.700000", "mydemo_future", "minor=3 something=1")
	print "    mydemo_rd-77    [000]   100.900000: sched_switch:         prev_comm=mydemo_rd prev_pid=77 next_comm=swapper/0"
	print "  my prog-123   [001] d..1.  100.910000: mydemo_read:          minor=3 requested=4 done=-11 level=0"
	print "           wl-99    [001]   100.920000: mydemo_read:          requested=1 done=1"
}
function ev(ts, name, args) {
	printf "       mydemo-wl-1234  [00%d]  %s: %-22s %s\n", n++ % 2, ts, name ":", args
}' >"$tmp/trace.txt"

# jcheck NAME FILE PYTHON-EXPRESSION: with d[minor] the JSON object of each
# line of FILE and approx(a, b), the expression is true.
jcheck() {
	local out
	if out=$(python3 - "$2" "$3" 2>&1 <<'EOF'
import json, sys
d = {}
try:
    for line in open(sys.argv[1]):
        o = json.loads(line)
        d[o["minor"]] = o
except ValueError as e:
    sys.exit("not JSON: %s" % e)
def approx(a, b):
    return a is not None and abs(a - b) <= 1e-6 + 1e-9 * abs(b)
try:
    ok = eval("(" + sys.argv[2] + ")")
except Exception as e:
    sys.exit("%s: %r" % (type(e).__name__, e))
if not ok:
    sys.exit("false: " + sys.argv[2])
EOF
	); then
		ok "$1"
	else
		fail "$1" "$out"
	fi
}

# tgrep NAME FILE PATTERN: a line of FILE matches the grep -E PATTERN.
tgrep() {
	if grep -qE -- "$3" "$2"; then
		ok "$1"
	else
		fail "$1" "no line matches /$3/ in: $(cat "$2")"
	fi
}

# Runners: the host's sh and awk; busybox sh with busybox awk first in PATH.
mkdir -p "$tmp/bb"
printf '#!/bin/sh\nexec busybox awk "$@"\n' >"$tmp/bb/awk"
chmod +x "$tmp/bb/awk"
# shellcheck disable=SC2317 # called as $run
run_host() { sh "$report" "$@"; }
# shellcheck disable=SC2317 # called as $run
run_busybox() { PATH=$tmp/bb:$PATH busybox sh "$report" "$@"; }
runners=(host)
if command -v busybox >/dev/null; then
	runners+=(busybox)
else
	echo "# busybox not installed: the guest's awk is not tested"
fi

for r in "${runners[@]}"; do
	run=run_$r
	$run --json "$tmp/trace.txt" >"$tmp/$r.json" 2>"$tmp/$r.err"
	rc=$?
	if [ "$rc" = 0 ] && [ "$(wc -l <"$tmp/$r.json")" = 3 ] &&
		grep -q '1 mydemo event line(s) not understood' "$tmp/$r.err"; then
		ok "$r: --json: a line per device, the bad line reported, exit 0"
	else
		fail "$r: --json: a line per device, the bad line reported, exit 0" \
			"exit $rc: $(cat "$tmp/$r.json" "$tmp/$r.err")"
	fi
	j=$tmp/$r.json
	jcheck "$r: devices in minor order (3 before 10)" "$j" \
		'[json.loads(l)["minor"] for l in open(sys.argv[1])] == [0, 3, 10]'
	jcheck "$r: span and event count" "$j" \
		'approx(d[0]["first_s"], 100) and approx(d[0]["last_s"], 102) and
		 approx(d[0]["span_s"], 2) and d[0]["events"] == 100 + 100 + 100 + 50 + 3 + 6 + 7 + 10 + 3 + 8'
	jcheck "$r: bytes, calls, errors, throughput" "$j" \
		'd[0]["read"] == {"bytes": 409600, "calls": 51, "errors": 1, "bytes_per_s": 204800.0} and
		 d[0]["write"] == {"bytes": 409600, "calls": 102, "errors": 2, "bytes_per_s": 204800.0} and
		 d[3]["write"]["bytes"] == 150 and abs(d[3]["write"]["bytes_per_s"] - 150 / 0.31) < 1e-3 and
		 d[3]["read"]["errors"] == 1'
	jcheck "$r: one event: no throughput" "$j" \
		'd[10]["span_s"] == 0 and d[10]["read"]["bytes_per_s"] is None and
		 d[10]["read"]["bytes"] == 1'
	jcheck "$r: read waits: min p50 p99 max, wake-to-run p50 p99" "$j" \
		'd[0]["wait"]["read"] == {"waits": 100, "wakes": 100, "interrupted": 20,
			"min_us": 1.0, "p50_us": 50.0, "p99_us": 99.0, "max_us": 100.0,
			"wake_samples": 80, "wake_p50_us": 4.0, "wake_p99_us": 8.0}'
	jcheck "$r: write waits; no wake-up samples: null" "$j" \
		'd[0]["wait"]["write"] == {"waits": 3, "wakes": 3, "interrupted": 0,
			"min_us": 3.0, "p50_us": 5.0, "p99_us": 7.0, "max_us": 7.0,
			"wake_samples": 0, "wake_p50_us": None, "wake_p99_us": None} and
		 d[3]["wait"]["read"]["p50_us"] is None'
	jcheck "$r: sigio, irq, overruns, opens" "$j" \
		'd[0]["sigio"] == {"sent": 7, "poll_in": 4, "poll_out": 2, "poll_hup": 1,
			"subscribe": 1, "unsubscribe": 1} and
		 d[0]["irq_records"] == 10 and d[0]["overruns"] == 3 and
		 d[0]["opens"] == 2 and d[0]["releases"] == 2 and
		 d[0]["device_add"] == 1 and d[0]["device_remove"] == 1'

	t=$tmp/$r.txt
	$run <"$tmp/trace.txt" >"$t" 2>/dev/null
	tgrep "$r: text: header of a device" "$t" \
		'^mydemo0: 387 events over 2\.000000 s \(100\.000000 \.\. 102\.000000\)$'
	tgrep "$r: text: read line" "$t" '^  read +409600 +51 +1 +200\.0 KiB/s$'
	tgrep "$r: text: no throughput without a span" "$t" '^  read +1 +1 +0 +-$'
	tgrep "$r: text: read waits" "$t" \
		'^  read +100 +100 +20 +1\.0 +50\.0 +99\.0 +100\.0 +4\.0 +8\.0$'
	tgrep "$r: text: write waits" "$t" \
		'^  write +3 +3 +0 +3\.0 +5\.0 +7\.0 +7\.0 +- +-$'
	tgrep "$r: text: sigio" "$t" \
		'^  sigio 7 \(POLL_IN 4, POLL_OUT 2, POLL_HUP 1\), subscribe 1, unsubscribe 1$'
	tgrep "$r: text: irq, overruns, files" "$t" \
		'^  irq records 10, overruns 3, opens 2, releases 2, device add 1, remove 1$'

	out=$(echo "cpus=2" | $run 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'no mydemo events' <<<"$out"; then
		ok "$r: no mydemo event: exit 1 with a message"
	else
		fail "$r: no mydemo event: exit 1 with a message" "exit $rc: $out"
	fi
	out=$($run --bogus 2>&1 </dev/null)
	rc=$?
	if [ "$rc" = 2 ] && grep -q '^usage:' <<<"$out"; then
		ok "$r: an unknown option: usage, exit 2"
	else
		fail "$r: an unknown option: usage, exit 2" "exit $rc: $out"
	fi
	out=$($run "$tmp/missing" 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'cannot read' <<<"$out"; then
		ok "$r: a missing file: exit 1"
	else
		fail "$r: a missing file: exit 1" "exit $rc: $out"
	fi
done

if [ ${#runners[@]} -gt 1 ]; then
	if cmp -s "$tmp/host.json" "$tmp/busybox.json" && cmp -s "$tmp/host.txt" "$tmp/busybox.txt"; then
		ok "host awk and busybox awk print the same"
	else
		fail "host awk and busybox awk print the same" \
			"$(diff "$tmp/host.txt" "$tmp/busybox.txt"; diff "$tmp/host.json" "$tmp/busybox.json")"
	fi
fi

if [ "$nfail" -gt 0 ]; then
	echo "mydemo-trace-report: $nfail test(s) failed"
	exit 1
fi
exit 0
