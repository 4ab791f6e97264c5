#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/mydemo-stat/test.sh [MYDEMO-STAT]: test mydemo-stat on the host
# against a fake sysfs tree (MYDEMO_SYSFS). Without an argument, builds it
# first. Prints "ok - NAME" or "not ok - NAME" and why per case (tools/check
# counts them); exits 1 if any failed.
#
# The rates are checked with --step: the test rewrites the stat files, then
# sends a line to make mydemo-stat take its next sample, and checks each rate
# against the counters' change divided by the interval_s it reports.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=${1:-}
if [ -z "$bin" ]; then
	make -s -C "$top" MYDEMO_BIN="$tmp" "$tmp/mydemo-stat" || exit 1
	bin=$tmp/mydemo-stat
fi
root=$tmp/sys
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"

# mkstat DEV FIELD... : write the fake stat file of DEV (a directory).
mkstat() {
	local dev=$1
	shift
	mkdir -p "$root/$dev"
	echo "$*" >"$root/$dev/stat"
}

# jcheck NAME JSON-LINE PYTHON-EXPRESSION: the expression, with r the
# parsed line, dev("mydemoN") its device entry and approx(a, b), is true.
jcheck() {
	local out
	if out=$(python3 - "$2" "$3" 2>&1 <<'EOF'
import json, sys
try:
    r = json.loads(sys.argv[1])
except ValueError as e:
    sys.exit("not JSON (%s): %r" % (e, sys.argv[1][:200]))
def dev(name):
    for d in r["devices"]:
        if d["device"] == name:
            return d
    raise KeyError(name + " not in the report")
def approx(a, b):
    return abs(a - b) <= 1e-3 + 1e-5 * abs(b)
try:
    ok = eval("(" + sys.argv[2] + ")")
except Exception as e:
    sys.exit("%s: %r" % (type(e).__name__, e))
if not ok:
    sys.exit("false: %s\n  on %s" % (sys.argv[2], sys.argv[1][:600]))
EOF
	); then
		ok "$1"
	else
		fail "$1" "$out"
	fi
}

# expect NAME STATUS PATTERN CMD...: CMD exits STATUS and its output
# (stdout and stderr) matches the grep -E PATTERN.
expect() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, expected $want; output: $out"
	elif ! grep -qE -- "$pat" <<<"$out"; then
		fail "$name" "output does not match /$pat/: $out"
	else
		ok "$name"
	fi
}

export MYDEMO_SYSFS=$root
u64max=18446744073709551615
# 22 fields for mydemo0; mydemo1 has two more (a newer kernel): ignored.
mkstat mydemo0 100 200 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 65536 20 1 0
mkstat mydemo1 1000000 2000000 3000 4000 5 6 7 8 9 10 11 12 13 14 15 16 17 \
	18 65536 20 1 0 99 98
# Neither a device nor in the way.
mkdir -p "$root/mydemox" && : >"$root/new_device" && : >"$root/del_device"

# --- usage and errors ---
expect "-h prints the usage, exit 0" 0 '^usage: mydemo-stat' "$bin" -h
expect "an unknown option: usage, exit 2" 2 'usage:' "$bin" --bogus
expect "-i 0: exit 2" 2 'not a number of seconds' "$bin" -i 0
expect "-i abc: exit 2" 2 'not a number of seconds' "$bin" -i abc
expect "-n 0: exit 2" 2 'not a count' "$bin" -i 1 -n 0
expect "-n 3 without -i: exit 2" 2 'needs -i' "$bin" -n 3
expect "-d with a bad name: exit 2" 2 'not a device name' "$bin" -d foo0
expect "-d of a missing device: exit 1" 1 'mydemo7: no such device' \
	"$bin" -d mydemo7
mkdir -p "$tmp/empty"
expect "no device: exit 1 with a message" 1 'no mydemo device under' \
	env MYDEMO_SYSFS="$tmp/empty" "$bin"
expect "no sysfs root: exit 1 with a message" 1 'no mydemo device under' \
	env MYDEMO_SYSFS="$tmp/nowhere" "$bin"
mkdir -p "$tmp/short/mydemo0"
echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 >"$tmp/short/mydemo0/stat"
expect "a stat line of 21 fields: exit 1" 1 'mydemo0/stat: 21 fields, need at least 22' \
	env MYDEMO_SYSFS="$tmp/short" "$bin"
mkdir -p "$tmp/nostat/mydemo0"
expect "a device without a stat file: exit 1" 1 'mydemo0/stat: missing' \
	env MYDEMO_SYSFS="$tmp/nostat" "$bin"
mkdir -p "$tmp/bad/mydemo0"
echo 1 2 3 -4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 >"$tmp/bad/mydemo0/stat"
expect "a negative field: exit 1" 1 'field 4 is not an unsigned number' \
	env MYDEMO_SYSFS="$tmp/bad" "$bin"
echo 1 2 3 18446744073709551616 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 \
	>"$tmp/bad/mydemo0/stat"
expect "a field above 2^64-1: exit 1" 1 'field 4: Numerical result out of range' \
	env MYDEMO_SYSFS="$tmp/bad" "$bin"

# --- the totals report ---
expect "text totals: header" 0 '^device +rB +wB +rd +wr +blk +eag +wak +sig +irq +ovr +level +size +hiwat +rwait +wwait$' "$bin"
# blk = 5 + 6, eag = 7 + 8, wak = 9 + 10; bytes in K (1024), counts in k.
expect "text totals: mydemo0 row" 0 '^mydemo0 +100 +200 +3 +4 +11 +15 +19 +11 +13 +14 +18 +65536 +20 +1 +0$' "$bin"
expect "text totals: mydemo1 row, scaled" 0 '^mydemo1 +977K +1.9M +3000 +4000 ' "$bin"
line=$("$bin" --json)
jcheck "json totals: counters and gauges as in the file" "$line" \
	'r["report"] == "total" and r["seq"] == 0 and
	 [d["device"] for d in r["devices"]] == ["mydemo0", "mydemo1"] and
	 list(dev("mydemo0")["counters"].values()) == list(range(100, 300, 100)) + list(range(3, 18)) and
	 dev("mydemo0")["gauges"] == {"fifo_level": 18, "fifo_size": 65536,
		"high_watermark": 20, "waiting_readers": 1, "waiting_writers": 0}'
jcheck "json totals: fields past the 22nd ignored" "$line" \
	'dev("mydemo1")["gauges"]["waiting_writers"] == 0 and
	 len(dev("mydemo1")["counters"]) == 17 and len(dev("mydemo1")["gauges"]) == 5'
line=$("$bin" -j -d 1)
jcheck "-d 1 selects mydemo1 only" "$line" \
	'[d["device"] for d in r["devices"]] == ["mydemo1"]'

# --- rates over intervals, driven step by step ---
# step_start ARG...: run mydemo-stat --step ARG... as a coprocess.
step_start() {
	coproc ST { exec "$bin" --step "$@" 2>"$tmp/step.err"; }
}
# step_read N: its next N lines, into $got (5 s at most).
step_read() {
	local i l
	got=
	for ((i = 0; i < $1; i++)); do
		l=
		read -r -t 5 l <&"${ST[0]}"
		got=$got${got:+$'\n'}$l
	done
}
# step_next [SECONDS]: wait, then have it take the next sample.
step_next() {
	[ -n "${1:-}" ] && sleep "$1"
	echo >&"${ST[1]}"
}
# step_end NAME: end its input; it exits 0 and says nothing on stderr.
step_end() {
	local rc=0 pid=$ST_PID
	eval "exec ${ST[1]}>&-"
	wait "$pid" || rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$tmp/step.err" ]; then
		ok "$1"
	else
		fail "$1" "exit $rc, stderr: $(cat "$tmp/step.err")"
	fi
}

step_start --json
step_read 1
jcheck "step: the totals come first" "$got" 'r["report"] == "total"'

# mydemo0: known increases; mydemo1: unchanged.
mkstat mydemo0 4196 1224 13 5 6 6 7 108 9 10 12 12 13 20 15 16 17 \
	512 65536 4096 0 2
step_next 0.3
step_read 1
jcheck "step 1: interval_s is the time that went by" "$got" \
	'r["report"] == "interval" and r["seq"] == 1 and 0.3 <= r["interval_s"] < 10'
jcheck "step 1: rates = change / interval_s" "$got" \
	'all(approx(dev("mydemo0")["rates"][k], d / r["interval_s"]) for k, d in
	     [("bytes_read", 4096), ("bytes_written", 1024), ("reads", 10),
	      ("writes", 1), ("reads_blocked", 1), ("writes_eagain", 100),
	      ("sigio_sent", 1), ("overruns", 6), ("faults", 0)])'
jcheck "step 1: gauges are the current values" "$got" \
	'dev("mydemo0")["gauges"] == {"fifo_level": 512, "fifo_size": 65536,
		"high_watermark": 4096, "waiting_readers": 0, "waiting_writers": 2}'
jcheck "step 1: an idle device has zero rates, status ok" "$got" \
	'dev("mydemo1")["status"] == "ok" and
	 set(dev("mydemo1")["rates"].values()) == {0} and r["removed"] == []'

# mydemo0's statistics reset; mydemo1 removed; mydemo2 created.
mkstat mydemo0 10 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 4096 0 0
rm -rf "$root/mydemo1"
mkstat mydemo2 50 60 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 7 4096 7 0 0
step_next 0.1
step_read 1
jcheck "step 2: a reset shows as reset, no rates" "$got" \
	'dev("mydemo0")["status"] == "reset" and dev("mydemo0")["rates"] is None and
	 dev("mydemo0")["counters"]["bytes_read"] == 10'
jcheck "step 2: a new device has no rates yet" "$got" \
	'dev("mydemo2")["status"] == "new" and dev("mydemo2")["rates"] is None and
	 dev("mydemo2")["gauges"]["fifo_size"] == 4096'
jcheck "step 2: a removed device is dropped and listed" "$got" \
	'[d["device"] for d in r["devices"]] == ["mydemo0", "mydemo2"] and
	 r["removed"] == ["mydemo1"]'

# 2^64 - 1 counts, exactly.
mkstat mydemo0 20 0 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 4096 0 0
mkstat mydemo2 $u64max 60 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 7 4096 7 0 0
step_next 0.2
step_read 1
jcheck "step 3: rates again after the reset and for the new device" "$got" \
	'approx(dev("mydemo0")["rates"]["bytes_read"], 10 / r["interval_s"]) and
	 approx(dev("mydemo2")["rates"]["bytes_read"], (2**64 - 1 - 50) / r["interval_s"]) and
	 dev("mydemo2")["counters"]["bytes_read"] == 2**64 - 1'

rm -rf "$root/mydemo0" "$root/mydemo2"
step_next
step_read 1
jcheck "step 4: every device gone: an empty report, no crash" "$got" \
	'r["devices"] == [] and r["removed"] == ["mydemo0", "mydemo2"] and r["seq"] == 4'
mkstat mydemo5 1 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 64 0 0 0
step_next
step_read 1
jcheck "step 5: a device created later is picked up" "$got" \
	'dev("mydemo5")["status"] == "new"'
step_end "step: end of input ends the run, exit 0, nothing on stderr"

# The same transitions in text.
rm -rf "$root"/mydemo*
mkstat mydemo0 100 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 0 0 0
mkstat mydemo1 100 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 0 0 0
step_start
step_read 3
mkstat mydemo0 50 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 0 0 0
rm -rf "$root/mydemo1"
mkstat mydemo3 100 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 65536 0 0 0
step_next
# A blank line, the header, three rows.
step_read 5
text=$got
if grep -qE '^device +rB/s +wB/s +rd/s +wr/s +blk/s +eag/s +wak/s +sig/s +irq/s +ovr/s +level +size +hiwat +rwait +wwait$' <<<"$text" &&
	grep -qE '^mydemo0 +reset( +-){9} +0 +65536 +0 +0 +0$' <<<"$text" &&
	grep -qE '^mydemo1 +gone( +-){14}$' <<<"$text" &&
	grep -qE '^mydemo3 +new( +-){9} +0 +65536 ' <<<"$text"; then
	ok "text: reset, gone and new rows"
else
	fail "text: reset, gone and new rows" "$text"
fi
step_end "text: end of input ends the run, exit 0"

# --- by the clock ---
out=$("$bin" -i 0.1 -n 3 --json 2>&1)
rc=$?
l1=$(sed -n 2p <<<"$out")
l2=$(sed -n 3p <<<"$out")
if [ "$rc" = 0 ] && [ "$(wc -l <<<"$out")" = 3 ]; then
	ok "-i 0.1 -n 3: three reports, exit 0"
else
	fail "-i 0.1 -n 3: three reports, exit 0" "exit $rc: $out"
fi
jcheck "-i 0.1: the intervals are about 0.1 s (monotonic)" "$l1" \
	'r["seq"] == 1 and 0.09 <= r["interval_s"] < 2'
jcheck "-i 0.1: second interval" "$l2" \
	'r["seq"] == 2 and 0.09 <= r["interval_s"] < 2'

if [ "$nfail" -gt 0 ]; then
	echo "mydemo-stat: $nfail test(s) failed"
	exit 1
fi
exit 0
