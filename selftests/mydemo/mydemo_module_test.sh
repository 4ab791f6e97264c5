#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading mydemo: rmmod is refused while a file is open, and
# leaves nothing behind; bad module parameters make the load fail with
# EINVAL and leave nothing behind; good ones take effect. The module is
# reloaded with the parameters it had.

DIR=$(dirname "$0")
# shellcheck source=/dev/null # the kernel's helper, installed beside us
. "$DIR/../kselftest/ktap_helpers.sh"

MOD=/lib/modules/mydemo.ko
P=/sys/module/mydemo/parameters

ktap_print_header
if [ ! -f "$MOD" ] || [ ! -d "$P" ] || [ "$(id -u)" != 0 ]; then
	ktap_skip_all "needs root, a loaded mydemo and $MOD"
	exit "$KSFT_SKIP"
fi
orig="ndevices=$(cat $P/ndevices) fifo_size=$(cat $P/fifo_size) mode=$(cat $P/mode)"
# Each bad value and the error it must give (the bad-input catalogue of
# Documentation/mydemo-hardening.rst): out of the driver's range, EINVAL
# from its checks; not a number, EINVAL, and too big for the type, ERANGE,
# from the kernel's parameter parser.
bad="fifo_size=100:EINVAL fifo_size=32:EINVAL fifo_size=8388608:EINVAL
fifo_size=0:EINVAL fifo_size=abc:EINVAL fifo_size=:EINVAL
fifo_size=4294967296:ERANGE ndevices=0:EINVAL ndevices=257:EINVAL
ndevices=-1:EINVAL mode=01777:EINVAL mode=04000:EINVAL mode=abc:EINVAL
mode=70000:ERANGE"
ktap_set_plan $(($(echo "$bad" | wc -w) + 6))

# Where a loaded mydemo shows, one word each: module (/sys/module), class
# (/sys/class), node (/dev/mydemoN), debugfs (its directory), chrdev (the
# major in /proc/devices), events (its trace events in tracefs). Nothing
# once it is unloaded or its load failed.
traces() {
	t=""
	[ -e /sys/module/mydemo ] && t="$t module"
	[ -e /sys/class/mydemo ] && t="$t class"
	for n in /dev/mydemo*; do
		if [ -e "$n" ]; then
			t="$t node"
			break
		fi
	done
	[ -e /sys/kernel/debug/mydemo ] && t="$t debugfs"
	grep -qw mydemo /proc/devices && t="$t chrdev"
	[ -e /sys/kernel/tracing/events/mydemo ] && t="$t events"
	echo "${t# }"
}

# First, that each place is looked at where it is: all of them show the
# loaded module (debugfs and the trace events where they are mounted).
want="module class node"
awk '$2 == "/sys/kernel/debug" && $3 == "debugfs" { f = 1 } END { exit !f }' \
	/proc/mounts && want="$want debugfs"
want="$want chrdev"
[ -d /sys/kernel/tracing/events ] && want="$want events"
now=$(traces)
if [ "$now" = "$want" ]; then
	ktap_test_pass "loaded, mydemo shows in: $want"
else
	ktap_test_fail "loaded, mydemo shows in: $want (found: $now)"
fi

# The module refcount keeps it loaded while a file is open.
exec 3</dev/mydemo0
if rmmod mydemo 2>/dev/null; then
	ktap_test_fail "rmmod refused while /dev/mydemo0 is open"
	# shellcheck disable=SC2086 # parameters are separate words
	insmod "$MOD" $orig
else
	ktap_test_pass "rmmod refused while /dev/mydemo0 is open"
fi
exec 3<&-

if ! rmmod mydemo; then
	ktap_exit_fail_msg "rmmod mydemo failed with no file open"
fi
left=$(traces)
if [ -z "$left" ]; then
	ktap_test_pass "rmmod leaves nothing behind"
else
	ktap_test_fail "rmmod leaves nothing behind (left: $left)"
fi

# Each bad value fails the load with its error, and nothing is left.
for pe in $bad; do
	p=${pe%:*} e=${pe##*:}
	case $e in
	EINVAL) msg='Invalid argument' ;;
	ERANGE) msg='Numerical result out of range' ;;
	esac
	if err=$(insmod "$MOD" "$p" 2>&1); then
		ktap_test_fail "insmod $p refused"
		rmmod mydemo
	elif left=$(traces) && echo "$err" | grep -q "$msg" && [ -z "$left" ]; then
		ktap_test_pass "insmod $p refused with $e, nothing left"
	else
		ktap_test_fail "insmod $p refused with $e, nothing left ($err${left:+; left: $left})"
	fi
done

# An unknown parameter is the kernel's business: it ignores it (and says
# so in the log), the load goes on.
if insmod "$MOD" no_such_param=1 && [ -c /dev/mydemo0 ]; then
	ktap_test_pass "insmod no_such_param=1: ignored, loaded"
	rmmod mydemo
else
	ktap_test_fail "insmod no_such_param=1: ignored, loaded"
fi

# Good values take effect.
if insmod "$MOD" ndevices=3 fifo_size=4096 mode=0640 &&
	[ -c /dev/mydemo2 ] && [ ! -e /dev/mydemo3 ] &&
	[ "$(stat -c %a /dev/mydemo0)" = 640 ] &&
	[ "$(cat /sys/class/mydemo/mydemo1/fifo_size)" = 4096 ]; then
	ktap_test_pass "ndevices=3 fifo_size=4096 mode=0640 take effect"
else
	ktap_test_fail "ndevices=3 fifo_size=4096 mode=0640 take effect"
fi
rmmod mydemo

# Back as it was, for the tests that follow.
# shellcheck disable=SC2086 # parameters are separate words
if insmod "$MOD" $orig && [ -c /dev/mydemo0 ]; then
	ktap_test_pass "reloaded with $orig"
else
	ktap_test_fail "reloaded with $orig"
fi
ktap_finished
