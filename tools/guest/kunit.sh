#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mydemo-kunit [COMMAND...] (in the guest: /usr/bin/mydemo-kunit): run the
# KUnit suites of mydemo_kunit.ko inside this kernel, then COMMAND.
#
# KUnit runs a module's suites when the module is loaded, before insmod
# returns, and prints their KTAP in the kernel log. That log is printed to
# stdout between the lines "mydemo-kunit: KTAP begin" and "mydemo-kunit:
# KTAP end", with its timestamps (kunit.py parse strips them), for
# tools/check to hand to the kernel's own parser. The kernel log gets the
# line "mydemo-kunit: suites done" afterwards: a splat before it happened
# during the suites.
#
# A failed insmod or rmmod prints "mydemo-kunit: insmod ... failed" (resp.
# rmmod) on stdout. Exit status: COMMAND's; without COMMAND, 0 when the
# module loaded and unloaded (the verdict on the tests is the parser's, on
# the host).

ko=/lib/modules/mydemo_kunit.ko
rc=0
echo "mydemo-kunit: KTAP begin"
if [ ! -e "$ko" ]; then
	echo "mydemo-kunit: no $ko: a kernel without CONFIG_KUNIT"
	rc=1
else
	# Only what the suites print: the buffer (128 KiB on the testbed's
	# kernels) holds the whole KTAP of the three suites many times over.
	dmesg -c >/dev/null
	insmod "$ko" || rc=1
	dmesg
	[ $rc = 0 ] || echo "mydemo-kunit: insmod $ko failed"
	if [ $rc = 0 ] && ! rmmod mydemo_kunit; then
		echo "mydemo-kunit: rmmod mydemo_kunit failed"
		rc=1
	fi
fi
echo "mydemo-kunit: KTAP end"
echo "mydemo-kunit: suites done" >/dev/kmsg
[ $# -eq 0 ] && exit "$rc"
exec "$@"
