#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mydemo tracepoints with trace-cmd: every event is listed, and a recording
# of a known workload (mydemo_trace_workload, on a device added and removed
# during the recording) holds the events that workload must cause, with the
# right fields: sizes, results, fill levels, directions, SIGIO bands,
# sequence numbers.

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null # the kernel's helper, installed beside us
. "$DIR/../kselftest/ktap_helpers.sh"

MINOR=127
CLASS=/sys/class/mydemo
EVENTS="mydemo_open mydemo_release mydemo_read mydemo_write mydemo_wait
mydemo_wake mydemo_fasync mydemo_irq mydemo_overrun mydemo_device_add
mydemo_device_remove"

ktap_print_header
if [ "$(id -u)" != 0 ] || [ ! -w "$CLASS/new_device" ]; then
	ktap_skip_all "needs root and a loaded mydemo"
	exit "$KSFT_SKIP"
fi
if ! command -v trace-cmd >/dev/null; then
	ktap_skip_all "trace-cmd is not installed"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 10

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# check NAME COMMAND...: one KTAP case.
check() {
	name=$1
	shift
	if "$@"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

# 1: trace-cmd knows every event of the mydemo system.
trace-cmd list -e mydemo >"$T/list" 2>&1
missing=
for e in $EVENTS; do
	grep -qx "mydemo:$e" "$T/list" || missing="$missing $e"
done
check "trace-cmd list -e mydemo lists all events${missing:+ (missing:$missing)}" \
	test -z "$missing"

echo "$MINOR" >"$CLASS/del_device" 2>/dev/null
trace-cmd record -q -e mydemo -o "$T/trace.dat" sh -c \
	"echo $MINOR >$CLASS/new_device && $DIR/mydemo_trace_workload $MINOR >$T/out;
	 s=\$?; echo $MINOR >$CLASS/del_device; exit \$s" >"$T/record.log" 2>&1
rec=$?
trace-cmd report -i "$T/trace.dat" >"$T/report" 2>"$T/report.err"
# Only this device's events, as "event: fields" (comm, CPU, time dropped).
sed -n "s/.* \(mydemo_[a-z_]*\): *\(minor=$MINOR .*\)/\1: \2/p" "$T/report" \
	>"$T/events"
if [ "$rec" != 0 ] || [ ! -s "$T/events" ]; then
	cat "$T/record.log" "$T/report.err" "$T/out"
	ktap_exit_fail_msg "recording the workload failed"
fi

# count PATTERN: lines of $T/events matching the basic regex PATTERN.
count() { grep -c "$1" "$T/events"; }

check "device added and removed once, fifo_size=65536" \
	test "$(count "^mydemo_device_add: minor=$MINOR fifo_size=65536$")" = 1 -a \
	"$(count "^mydemo_device_remove: minor=$MINOR ")" = 1

# Opens: the workload's read-write file, the sleeping reader's, the
# subscriber's, and the shell's two writes of the class files do not count.
check "3 opens and 3 releases, with their modes" \
	test "$(count '^mydemo_open: ')" = 3 -a \
	"$(count '^mydemo_release: ')" = 3 -a \
	"$(count "^mydemo_open: minor=$MINOR mode=rw ")" = 1 -a \
	"$(count "^mydemo_open: minor=$MINOR mode=r ")" = 2

check "write of 100 bytes: done=100 level=100; read: done=100 level=0" \
	test "$(count "^mydemo_write: minor=$MINOR requested=100 done=100 level=100$")" = 1 -a \
	"$(count "^mydemo_read: minor=$MINOR requested=4096 done=100 level=0$")" = 1

check "read of an empty fifo: done=-11 (EAGAIN)" \
	test "$(count "^mydemo_read: minor=$MINOR requested=10 done=-11 level=0$")" = 1

# The sleeping reader: one wait, then a wake-up with ret=0, a positive
# sleep, and a wake-up-to-run time no longer than the sleep. That time is
# 0 when the reader saw the data in its own re-check before the writer's
# wake-up reached it (a vCPU under TCG can stall between queueing and
# schedule()): the event documents it, and one run in the 2026-12-02
# make check got it.
wake=$(grep "^mydemo_wake: minor=$MINOR dir=read " "$T/events")
waited=$(echo "$wake" | sed -n 's/.* waited_ns=\([0-9]*\) .*/\1/p')
woke=$(echo "$wake" | sed -n 's/.* wake_ns=\([0-9]*\) .*/\1/p')
check "one reader slept and was woken (ret=0, 0 <= wake_ns <= waited_ns, waited_ns > 0)" \
	test "$(count "^mydemo_wait: minor=$MINOR dir=read level=0$")" = 1 -a \
	"$(echo "$wake" | grep -c ' ret=0$')" = 1 -a \
	"${waited:-0}" -gt 0 -a -n "$woke" -a "${waited:-0}" -ge "${woke:--1}"

check "SIGIO: subscribe, one POLL_IN signal to 1 subscriber, unsubscribe" \
	test "$(count "^mydemo_fasync: minor=$MINOR action=subscribe band=0 subscribers=1$")" = 1 -a \
	"$(count "^mydemo_fasync: minor=$MINOR action=signal band=POLL_IN subscribers=1$")" = 1 -a \
	"$(count "^mydemo_fasync: minor=$MINOR action=unsubscribe band=0 subscribers=0$")" = 1

# One mydemo_irq event per record stored, numbered from 0 without a gap.
n=$(sed -n 's/^irq_records=\([0-9]*\) overruns=0$/\1/p' "$T/out")
seqs=$(sed -n "s/^mydemo_irq: minor=$MINOR seq=\([0-9]*\) ring=[0-9]*$/\1/p" \
	"$T/events" | tr '\n' ' ')
want=$(i=0; while [ "$i" -lt "${n:-0}" ]; do printf '%s ' "$i"; i=$((i + 1)); done)
check "irq events: seq 0..$((${n:-0} - 1)), as many as statistics/irq_records ($n)" \
	test -n "$n" -a "$n" -ge 5 -a "$seqs" = "$want"

check "no overrun events (the fifo had room)" \
	test "$(count '^mydemo_overrun: ')" = 0

# The project's summariser (tools/mydemo-trace-report, in the guest's
# /usr/bin) adds up the same recording: 106 bytes each way, 4 reads of which
# one failed, 3 writes, one sleep, one signal, the interrupts, 3 opens.
json=$(mydemo-trace-report --json "$T/report" 2>"$T/summary.err" |
	grep "^{\"minor\":$MINOR,")
ok=1
for want in '"read":{"bytes":106,"calls":4,"errors":1,' \
	'"write":{"bytes":106,"calls":3,"errors":0,' \
	'"wait":{"read":{"waits":1,"wakes":1,"interrupted":0,' \
	'"sigio":{"sent":1,"poll_in":1,"poll_out":0,"poll_hup":0,"subscribe":1,"unsubscribe":1}' \
	"\"irq_records\":${n:-0},\"overruns\":0,\"opens\":3,\"releases\":3,\"device_add\":1,\"device_remove\":1}"; do
	case $json in
	*"$want"*) ;;
	*) ok=0; echo "# mydemo-trace-report: no $want" ;;
	esac
done
[ $ok = 1 ] || { echo "# $json"; sed 's/^/# /' "$T/summary.err"; }
check "mydemo-trace-report sums the recording exactly" test $ok = 1
mydemo-trace-report "$T/report" | sed 's/^/# /'

ktap_finished
