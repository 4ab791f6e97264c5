# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the kselftests in a guest of each kernel (with KUnit
# in the same boot). Sourced by tools/check, whose result(), step(), logged()
# and variables it uses.

# One guest of kernel K for the kselftests (kselftest:K) and for the KUnit
# suites inside that kernel (kunit-guest:K). When both are asked for, as in
# `make check`, one boot runs both, a boot fewer: mydemo-kunit
# (tools/guest/kunit.sh) loads mydemo_kunit.ko, prints the KTAP, then runs
# run_kselftest.sh.
check_guest() {
	local k=$1 kunit=$2 kself=$3 moddir log rc name cmd=()
	if [ "$kself" = 1 ] && [ "$kunit" = 1 ]; then
		step "kselftests on the $k kernel, KUnit inside it"
	elif [ "$kself" = 1 ]; then
		step "kselftests on the $k kernel"
	else
		step "KUnit inside the $k kernel"
	fi
	# The build vm-run uses (build-module's flags are W=1 -Werror): it
	# builds here, vm-run finds it built.
	if moddir=$(logged "build-$k" "$MYDEMO_TOP/tools/build-module" "$k"); then
		result pass "mydemo.ko builds with W=1 -Werror for $k"
	else
		tail -n 30 "$logdir/build-$k.log"
		result fail "mydemo.ko builds with W=1 -Werror for $k"
		return
	fi
	moddir=$(echo "$moddir" | tail -n 1)
	if [ "$kunit" = 1 ]; then
		if [ ! -f "$moddir/kunit/mydemo_kunit.ko" ]; then
			result skip "kunit-guest:$k" "the $k kernel has no CONFIG_KUNIT"
			kunit=0
		else
			cmd+=(mydemo-kunit)
		fi
	fi
	[ "$kself" = 1 ] && cmd+=("${kselftest_env[@]}" /opt/kselftest/run_kselftest.sh)
	[ ${#cmd[@]} -gt 0 ] || return
	name=kselftest-$k
	[ "$kself" = 1 ] || name=kunit-guest-$k
	log=$logdir/$name.log
	logged "$name" "$MYDEMO_TOP/tools/vm-run" --kernel "$k" -- "${cmd[@]}"
	rc=$?
	[ "$kunit" = 1 ] && kunit_guest_results "$k" "$log" "$rc"
	[ "$kself" = 1 ] && kselftest_results "$k" "$log" "$rc"
}

# kselftest_results K LOG RC: the kselftests of a guest's LOG, counted from
# their TAP by tools/kselftest-results (a program that crashed or timed out
# is a failure, a "1..0 # SKIP" program a skip; see the testbed step).
kselftest_results() {
	local k=$1 log=$2 rc=$3 out ok nok sk line
	out=$("$MYDEMO_TOP/tools/kselftest-results" "$log")
	while IFS= read -r line; do
		case $line in "not ok "*) echo "[check] kselftest on $k: $line" ;; esac
	done <<<"$out"
	read -r ok nok sk <<<"$(echo "$out" | tail -n 1)"
	ok=${ok:-0} nok=${nok:-0} sk=${sk:-0}
	passed=$((passed + ok)) skipped=$((skipped + sk)) failed=$((failed + nok))
	[ "$nok" -gt 0 ] && failures+=("kselftest on $k: $nok test(s)")
	echo "[check] kselftest on $k: $ok passed, $nok failed, $sk skipped"
	[ "$ok" -eq 0 ] && [ "$nok" -eq 0 ] && [ "$sk" -eq 0 ] &&
		result fail "kselftests ran on $k" "no results: see $log"
	# run_kselftest.sh exits 0 even when tests fail: a non-zero status
	# comes from vm-run (splat, time-out, failed unload).
	if [ "$rc" = 0 ]; then
		result pass "guest on $k: clean kernel log, clean unload"
	else
		result fail "guest on $k: clean kernel log, clean unload" "vm-run exit $rc"
	fi
}
