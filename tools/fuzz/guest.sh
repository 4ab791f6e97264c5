#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/fuzz/guest.sh SECONDS SEED [TOOLS]: the guest's half of tools/fuzz/run
# (busybox sh, from /opt/extra). Runs each fuzzer of TOOLS ("mydemo-fuzz
# trinity stress-ng" by default) for SECONDS, one after the other, on
# devices of its own (minors 160..199), and prints a line "ok - TOOL: ..." or
# "not ok - TOOL: ..." with its figures. The kernel's verdict (a splat fails
# the run) is tools/vm-run's. Exit status: 0 once every tool has run, so
# that a non-zero status of vm-run means the kernel (splat, time-out, failed
# unload), never a tool.

secs=$1
seed=$2
tools=${3:-mydemo-fuzz trinity stress-ng}
SYS=/sys/class/mydemo

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }

# The one device a host fuzzer is let loose on.
fresh_dev() {
	echo "$1" >$SYS/del_device 2>/dev/null
	echo "$1" >$SYS/new_device
}

run_mydemo_fuzz() {
	/opt/extra/mydemo-fuzz --seed "$seed" --seconds "$secs" --procs 4 \
		>/tmp/mydemo-fuzz.log 2>&1
	st=$?
	cat /tmp/mydemo-fuzz.log
	sum=$(sed -n 's/^mydemo-fuzz: seed [0-9]*: \([0-9]*\) calls in \([0-9.]*\) s.* \([0-9]*\) unexpected$/\1 calls in \2 s, \3 unexpected/p' \
		/tmp/mydemo-fuzz.log)
	if [ "$st" = 0 ] && [ -n "$sum" ]; then
		pass "mydemo-fuzz: seed $seed, 4 processes, $sum"
	else
		fail "mydemo-fuzz: seed $seed, exit $st${sum:+, $sum}"
	fi
}

# trinity knows nothing of the driver: -V gives it only a directory holding
# a node of mydemo190, the other descriptor sources are off (its files are
# the "pseudo" one, which stays on), and only calls on descriptors are made,
# so that it fuzzes the driver rather than the guest.
# Its reads block on an empty fifo: the interrupt source keeps data coming.
run_trinity() {
	fresh_dev 190 || { fail "trinity: cannot create mydemo190"; return; }
	mkdir -p /tmp/victims
	rm -f /tmp/victims/mydemo190
	mknod /tmp/victims/mydemo190 c "$(cut -d: -f1 $SYS/mydemo190/dev)" 190
	echo 200 >$SYS/mydemo190/irq_rate
	tseed=$((seed % 4294967296))
	calls=""
	for c in read write readv writev preadv pwritev pread64 pwrite64 ioctl \
		fcntl lseek mmap splice sendfile fsync dup; do
		calls="$calls -c $c"
	done
	# Where trinity's processes are at half time (what a stuck one waits for).
	(
		sleep $((secs / 2))
		for p in $(pidof trinity); do
			echo "# trinity $p: $(cat /proc/"$p"/wchan 2>/dev/null) syscall $(cut -d' ' -f1 /proc/"$p"/syscall 2>/dev/null) $(tr '\0' ' ' </proc/"$p"/cmdline | cut -c1-20)"
		done
	) &
	# shellcheck disable=SC2086 # one word per option
	(cd /tmp && timeout -s INT -k 30 "$secs" trinity -l off --dangerous \
		-V /tmp/victims -C 2 -s "$tseed" $calls \
		--disable-fds=sockets,pipes,perf,epoll,eventfd,timerfd,testfile,memfd,drm) \
		>/tmp/trinity.log 2>&1
	st=$?
	grep -v '^\[main\] Marking syscall' /tmp/trinity.log | tail -n 15
	echo "# mydemo190 stat: $(cat $SYS/mydemo190/stat)"
	ran=$(sed -n 's/.*Ran \([0-9]*\) syscalls\. Successes: \([0-9]*\) *Failures: \([0-9]*\).*/\1 syscalls (\2 succeeded, \3 failed)/p' \
		/tmp/trinity.log | tail -n 1)
	echo 0 >$SYS/mydemo190/irq_rate
	# The time was up and trinity stopped on SIGINT, as it should: 0
	# (trinity's own status after SIGINT, which busybox's timeout passes
	# on) or 124 (coreutils' timeout), and its main loop said it stopped
	# for ctrl-c. Any other status is trinity's own failure, or 137: a
	# trinity that did not stop within 30 s of SIGINT, stuck, maybe in the
	# driver; any other reason to stop is an early end.
	bail=$(sed -n 's/.*Bailing main loop because \(.*\)$/\1/p' /tmp/trinity.log | tail -n 1)
	if grep -q 'became tainted' /tmp/trinity.log; then
		fail "trinity: seed $tseed: the kernel became tainted"
	elif [ "$st" != 0 ] && [ "$st" != 124 ]; then
		fail "trinity: seed $tseed: exit $st${ran:+, $ran}${bail:+, stopped: $bail}"
	elif [ -n "$bail" ] && ! echo "$bail" | grep -qi 'ctrl-c'; then
		fail "trinity: seed $tseed: stopped before the time was up: $bail"
	elif [ -n "$ran" ] && [ "${ran%% *}" -gt 0 ]; then
		pass "trinity: seed $tseed, 2 children, $secs s, $ran on /dev/mydemo190 (exit $st)"
	else
		fail "trinity: seed $tseed: no syscall count (exit $st)"
	fi
	echo 190 >$SYS/del_device
}

run_stress_ng() {
	fresh_dev 191 || { fail "stress-ng: cannot create mydemo191"; return; }
	timeout -k 30 $((secs + 60)) stress-ng --dev 2 --dev-file /dev/mydemo191 \
		--timeout "${secs}s" --seed "$seed" --metrics-brief \
		>/tmp/stress-ng.log 2>&1
	st=$?
	cat /tmp/stress-ng.log
	echo "# mydemo191 stat: $(cat $SYS/mydemo191/stat)"
	# "stress-ng: metrc: [pid] dev   12345   60.00 ..." (info: in older ones)
	ops=$(awk '$4 == "dev" && $5 ~ /^[0-9]+$/ { print $5 }' /tmp/stress-ng.log | tail -n 1)
	if [ "$st" = 0 ] && [ -n "$ops" ] && [ "$ops" -gt 0 ]; then
		pass "stress-ng: seed $seed, --dev 2, $secs s, $ops bogo ops on /dev/mydemo191"
	else
		fail "stress-ng: seed $seed: exit $st, ${ops:-no} bogo ops"
	fi
	echo 191 >$SYS/del_device
}

for t in $tools; do
	echo "# fuzz: $t for $secs s"
	case $t in
	mydemo-fuzz) run_mydemo_fuzz ;;
	trinity) run_trinity ;;
	stress-ng) run_stress_ng ;;
	*) fail "unknown tool $t" ;;
	esac
done
echo "# fuzz: all tools ran"
exit 0
