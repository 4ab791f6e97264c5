# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the short stress. Sourced by tools/check, whose
# result(), step(), logged() and variables it uses.

# The short stress (tools/stress/run --short) on each kernel with the bug
# detectors and on PREEMPT_RT (where a spinlock_t sleeps and a driver bug
# shows as "BUG: scheduling while atomic"): a result per property mydemo-stress verified ("ok - NAME" or
# "not ok - NAME"), and one for the guest: no splat (KASAN, KCSAN, lockdep,
# hung task, kmemleak), no time-out, a clean unload. vm-run prints the
# kernel log around a splat into the step's log and output.
check_stress() {
	local k log rc line n
	step "stress (short, integrity ${stress_secs} s) on the ${STRESS_KERNELS[*]} kernels"
	for k in "${STRESS_KERNELS[@]}"; do
		log=$logdir/stress-$k.log
		logged "stress-$k" "$MYDEMO_TOP/tools/stress/run" --short --duration "$stress_secs" \
			--kernel "$k" >/dev/null
		rc=$?
		n=0
		while IFS= read -r line; do
			case $line in
			"ok - "*) result pass "stress on $k: ${line#ok - }"; n=$((n + 1)) ;;
			"not ok - "*) result fail "stress on $k: ${line#not ok - }"; n=$((n + 1)) ;;
			"# "*) echo "$line" ;;
			esac
		done <"$log"
		[ "$n" -gt 0 ] || result fail "stress on $k: mydemo-stress ran" "no results: see $log"
		# rc 1 with failed properties is theirs; a splat, a time-out or
		# an exit without results is the guest's.
		if [ "$rc" = 0 ] || { [ "$n" -gt 0 ] && grep -q '^not ok - ' "$log" &&
			! grep -qE 'KERNEL SPLAT|did not finish|died without|UNLOAD FAILED' "$log"; }; then
			result pass "stress on $k: guest: clean kernel log, clean unload"
		else
			grep -A 40 -E 'KERNEL SPLAT|did not finish|died without|UNLOAD FAILED' "$log" | head -n 60
			result fail "stress on $k: guest: clean kernel log, clean unload" "exit $rc: see $log"
		fi
	done
}
