#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The programs of examples/, each on devices of its own (minors 109..119,
# created through new_device and removed at the end), each judged by its
# exit status and by what it prints. Then the configuration examples: the
# udev rule matches the devices, the modprobe.d options load and take
# effect (the module is reloaded with the parameters it had).

DIR=$(dirname "$0")
# shellcheck source=/dev/null # the kernel's helper, installed beside us
. "$DIR/../kselftest/ktap_helpers.sh"

C=/sys/class/mydemo
P=/sys/module/mydemo/parameters
MOD=/lib/modules/mydemo.ko
MINORS="109 110 111 112 113 114 115 116 117 118 119"

ktap_print_header
if [ "$(id -u)" != 0 ] || [ ! -w $C/new_device ] || [ ! -f "$MOD" ]; then
	ktap_skip_all "needs root, a loaded mydemo and $MOD"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 12

cleanup() {
	for m in $MINORS; do
		if [ -e "$C/mydemo$m" ]; then echo "$m" >$C/del_device; fi
	done
}
trap cleanup EXIT
for m in $MINORS; do
	echo "$m" >$C/new_device || ktap_exit_fail_msg "new_device $m failed"
done
fs=$(cat $C/mydemo110/fifo_size)

# run PROGRAM ARGS...: run an example; its output is shown (as KTAP
# comments) and kept in $out, its exit status in $rc.
run() {
	prog=$1
	shift
	out=$("$DIR/$prog" "$@" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
}

# expect DESCRIPTION PATTERN...: the example exited 0 and printed a line
# matching each extended regular expression.
expect() {
	desc=$1
	shift
	good=1
	[ "$rc" = 0 ] || good=0
	for p in "$@"; do
		if ! echo "$out" | grep -qE -- "$p"; then
			ktap_print_msg "no line matches: $p"
			good=0
		fi
	done
	if [ $good = 1 ]; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc (exit status $rc)"
	fi
}

run nonblock /dev/mydemo110
expect "nonblock: EAGAIN when empty and when full, the whole fifo read back in order" \
	'^empty: read\(\) failed with EAGAIN at once$' \
	"^full: write\(\) failed with EAGAIN after $fs bytes$" \
	"^drained: read $fs bytes back, in order$"

big=$((fs + 1000))
run blocking /dev/mydemo111
expect "blocking: a sleeping reader woken by a write, a sleeping writer by reads" \
	'^reader: woke up with 21 bytes: "hello from the parent"$' \
	'^parent: the writer is asleep' \
	"^writer: write\(\) of $big bytes returned $big$" \
	"^parent: read all $big bytes$"

run poll-two /dev/mydemo112 /dev/mydemo113
expect "poll-two: one poll() over two devices gets every byte of both" \
	'^before the writers start: nothing to read$' \
	'^/dev/mydemo112: 48 bytes in total$' \
	'^/dev/mydemo113: 48 bytes in total$'

run sigio /dev/mydemo114
expect "sigio: POLL_IN to the reader for each write, POLL_OUT to the writer for a read, with si_band and si_fd" \
	'^signal: si_code POLL_IN, si_band 0x41 \(POLLIN\|POLLRDNORM\), si_fd [0-9]+ \(the reader\)$' \
	'^signal: si_code POLL_OUT, si_band 0x304 \(POLLOUT\|POLLWRNORM\|POLLWRBAND\), si_fd [0-9]+ \(the writer\)$' \
	'^read 8 bytes$' \
	'^3 signals$'

run epoll /dev/mydemo115
expect "epoll: edge-triggered waits get all five records" \
	'^read 320 bytes after [1-9][0-9]* epoll event\(s\)$'

run readv-writev /dev/mydemo116
expect "readv-writev: a three-piece record out and back in one call each" \
	'^writev: 3 buffers, 36 bytes in one call$' \
	'^readv: 36 bytes, header magic 0x6d796465, text "gathered from three buffers"$'

run uring /dev/mydemo117
if [ "$rc" = 2 ] && echo "$out" | grep -q 'io_uring is not available'; then
	ktap_test_skip "uring: io_uring is not available on this kernel"
else
	expect "uring: a pending read completed by a later write" \
		'^read queued, pending: the device is empty$' \
		'^write completed: 16 bytes$' \
		'^read completed: 16 bytes: "through the ring"$'
fi

half=$((fs / 2))
run ioctl /dev/mydemo118
expect "ioctl: GET_INFO, FIONREAD, GET_STATS, FLUSH, SET_SIZE (EBUSY, then done and undone)" \
	"^GET_INFO: minor 118, fifo_size $fs, fifo_level 0, " \
	'^after writing 100 bytes: fifo_level 100, FIONREAD 100$' \
	'^GET_STATS: version [1-9][0-9]*, size [1-9][0-9]*, writes 1, bytes_written 100$' \
	'^FLUSH: fifo_level 0$' \
	"^SET_SIZE $half: EBUSY, $((half + 1)) bytes do not fit$" \
	"^SET_SIZE $half: fifo_size now $half$" \
	"^SET_SIZE $fs: fifo_size back to $fs$"

msg="spliced through a pipe, not through user space"
run splice /dev/mydemo109
expect "splice: sendfile, splice both ways and tee between the device, pipes and a file" \
	'^sendfile: 47 bytes from a file into /dev/mydemo109$' \
	'^splice: 47 bytes from /dev/mydemo109 into a pipe$' \
	"^tee: 47 bytes copied: $msg\$" \
	'^splice: 47 bytes from the pipe into /dev/mydemo109$' \
	"^read: 47 bytes: $msg\$"

run sysfs-stats /dev/mydemo119
expect "sysfs-stats: every counter listed, the I/O's counted" \
	'^/sys/class/mydemo/mydemo119/statistics:$' \
	'^bytes_written +0 +10 +\+10$' \
	'^bytes_read +0 +10 +\+10$' \
	'^writes +0 +1 +\+1$' \
	'^reads +0 +1 +\+1$' \
	'^reads_blocked +0 +0 +\+0$'

# The udev rule's match keys fit the devices: their subsystem (the class)
# and their kernel name.
rule=$(grep -v '^#' "$DIR/99-mydemo.rules")
subsys=$(echo "$rule" | sed -n 's/.*SUBSYSTEM=="\([^"]*\)".*/\1/p')
kname=$(echo "$rule" | sed -n 's/.*KERNEL=="\([^"]*\)".*/\1/p')
good=1
for m in 0 110; do
	name=$(sed -n 's/^DEVNAME=//p' $C/mydemo$m/uevent)
	# shellcheck disable=SC2254 # $kname is a glob, as udev reads it
	case $name in $kname) ;; *) good=0 ;; esac
	[ "$(basename "$(readlink $C/mydemo$m/subsystem)")" = "$subsys" ] || good=0
done
if [ $good = 1 ] && [ -n "$subsys" ] && [ -n "$kname" ]; then
	ktap_test_pass "udev rule: SUBSYSTEM==\"$subsys\", KERNEL==\"$kname\" match the devices"
else
	ktap_test_fail "udev rule: SUBSYSTEM==\"$subsys\", KERNEL==\"$kname\" match the devices"
fi

# The modprobe.d options load, and each parameter reads back as set
# ($((v)) reads 0660 as octal, as the kernel does).
cleanup
opts=$(sed -n 's/^options mydemo //p' "$DIR/mydemo.conf")
orig="ndevices=$(cat $P/ndevices) fifo_size=$(cat $P/fifo_size) mode=$(cat $P/mode)"
rmmod mydemo || ktap_exit_fail_msg "rmmod mydemo failed"
good=0
# shellcheck disable=SC2086 # the options are separate words
if [ -n "$opts" ] && insmod "$MOD" $opts; then
	good=1
	for o in $opts; do
		[ "$(cat "$P/${o%%=*}")" = "$((${o#*=}))" ] || good=0
	done
	n=$(cat $P/ndevices)
	if [ ! -c /dev/mydemo$((n - 1)) ] || [ -e /dev/mydemo$n ]; then good=0; fi
	[ "$(stat -c %a /dev/mydemo0)" = "$(printf %o "$(cat $P/mode)")" ] || good=0
	rmmod mydemo || good=0
fi
if [ $good = 1 ]; then
	ktap_test_pass "modprobe.d: options mydemo $opts load and take effect"
else
	ktap_test_fail "modprobe.d: options mydemo $opts load and take effect"
fi
# shellcheck disable=SC2086 # parameters are separate words
insmod "$MOD" $orig || ktap_exit_fail_msg "reload with $orig failed"
ktap_finished
