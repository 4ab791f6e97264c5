# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the testbed's self-test: kselftest counting,
# vm-run's verdicts, each class of kernel report. Sourced by tools/check,
# whose result(), step(), logged() and variables it uses.

# splat_loads BUG...: the guest's command that loads and unloads
# mydemo_splat.ko once per BUG, saying after each that it got through.
splat_loads() {
	local b cmd=''
	for b in "$@"; do
		cmd="$cmd insmod /lib/modules/mydemo_splat.ko bug=$b && rmmod mydemo_splat &&"
		cmd="$cmd echo 'mydemo_splat: bug=$b done';"
	done
	echo "$cmd"
}

# splat_caught LOG PATTERN: vm-run listed a console line matching PATTERN
# among the splat lines it matched ("NNN:<line>"): its patterns catch that
# report, not just some other report of the same run.
splat_caught() { grep -qE "^[0-9]+:.*$2" "$1"; }

# The testbed tests itself: a failing command fails a run, and each class of
# kernel report vm-run claims to catch, made by a deliberate bug of
# tools/testbed/mydemo_splat.ko (bug=...), is caught by its own pattern. Two
# boots: the reports after which a run goes on (a sleep in atomic context,
# lockdep's non-static key, a kmemleak leak) in one, each from its own load
# of the module; then lockdep's circular dependency (lockdep turns itself
# off after one report, so it needs a boot of its own) and a KASAN report,
# which panics (panic_on_warn=1) and ends the run. The other reports that
# panic (KFENCE, UBSAN, KCSAN, WARN, Oops, hung task) end in the same
# "Kernel panic" line the second boot shows caught.
check_testbed() {
	local rc log
	step "testbed self-test"
	check_counting
	"$MYDEMO_TOP/tools/vm-run" --kernel debug -- false >"$logdir/testbed-false.log" 2>&1
	rc=$?
	if [ "$rc" = 1 ] && ! grep -q 'KERNEL SPLAT' "$logdir/testbed-false.log"; then
		result pass "vm-run -- false exits 1"
	else
		cat "$logdir/testbed-false.log"
		result fail "vm-run -- false exits 1" "got $rc"
	fi

	# A command that fails and leaves the device open: rmmod fails at the
	# end, and that fails the run, not the command's status (stock-6.12
	# boots fastest).
	log=$logdir/testbed-unload.log
	"$MYDEMO_TOP/tools/vm-run" --kernel stock-6.12 -- \
		sh -c 'exec 3</dev/mydemo0; sleep 600 <&3 & exit 3' >"$log" 2>&1
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'vm-run: UNLOAD FAILED' "$log" && ! grep -q 'KERNEL SPLAT' "$log"; then
		result pass "a failed unload fails the run whatever the command's status"
	else
		cat "$log"
		result fail "a failed unload fails the run whatever the command's status" "got $rc"
	fi

	log=$logdir/testbed-splat.log
	"$MYDEMO_TOP/tools/vm-run" --kernel debug -- sh -c "$(splat_loads sleep nonstatic leak)" \
		>"$log" 2>&1
	rc=$?
	testbed_classes "$log" "$rc" \
		sleep "a sleep in atomic context" 'BUG: sleeping function called from invalid context' \
		nonstatic "lockdep: a spinlock without spin_lock_init()" 'INFO: trying to register non-static key' \
		leak "a kmemleak leak" 'unreferenced object'

	log=$logdir/testbed-splat-panic.log
	"$MYDEMO_TOP/tools/vm-run" --kernel debug -- sh -c "$(splat_loads circular kasan)" \
		>"$log" 2>&1
	rc=$?
	testbed_classes "$log" "$rc" \
		circular "lockdep: a circular locking dependency" 'WARNING: possible circular locking dependency detected' \
		kasan "KASAN: a read past a kmalloc()ed object, and the panic" 'BUG: KASAN: slab-out-of-bounds'
	if splat_caught "$log" 'Kernel panic'; then
		result pass "vm-run catches a panic"
	else
		result fail "vm-run catches a panic" "no 'Kernel panic' in vm-run's list: see $log"
	fi
}

# The counting of kselftests is tested too: a collection that fails on
# purpose (tools/testbed/kselftest-counting), installed as build-selftests
# installs ours and run by the kernel's runner on the host (it needs no
# module), must count as each of its programs says.
check_counting() {
	local dir tmp log out want
	dir=$MYDEMO_TOP/tools/testbed/kselftest-counting
	tmp=$(mktemp -d)
	mkdir -p "$tmp/build" "$tmp/inst/counting"
	log=$logdir/counting.log
	if ! { make -s -C "$dir" KSRC="$(mydemo_src)" OUTPUT="$tmp/build" &&
		make -s -C "$dir" KSRC="$(mydemo_src)" OUTPUT="$tmp/build" \
			INSTALL_PATH="$tmp/inst/counting" install &&
		make -s --no-print-directory -C "$dir" KSRC="$(mydemo_src)" \
			OUTPUT="$tmp/build" COLLECTION=counting emit_tests \
			>"$tmp/inst/kselftest-list.txt" &&
		cp "$(mydemo_src)/tools/testing/selftests/run_kselftest.sh" "$tmp/inst/" &&
		cp -r "$(mydemo_src)/tools/testing/selftests/kselftest" "$tmp/inst/"; } \
		>"$logdir/counting-build.log" 2>&1; then
		cat "$logdir/counting-build.log"
		result fail "kselftest counting: the collection that fails on purpose builds"
		rm -rf "$tmp"
		return
	fi
	# Through a pipe: the runner opens /dev/stdout again, and a file would
	# be overwritten from the start by each open.
	(cd "$tmp/inst" && ./run_kselftest.sh 2>&1 | cat) >"$log"
	rm -rf "$tmp"
	out=$("$MYDEMO_TOP/tools/kselftest-results" "$log")
	while read -r want; do
		if echo "$out" | grep -qxF "${want#*|}"; then
			result pass "kselftest counting: ${want%%|*}"
		else
			echo "$out"
			result fail "kselftest counting: ${want%%|*}" "want: ${want#*|}; log: $log"
		fi
	done <<'EOF'
a harness program: its passes and skips|ok counting/tb_pass: 2 passed, 0 failed, 1 skipped
a program that crashes before its Totals is failed|not ok counting/tb_crash: 1 passed, 1 failed, 0 skipped, the program failed after its results # exit=139
a program that crashes after all-passed Totals is failed|not ok counting/tb_crash_after_totals: 1 passed, 1 failed, 0 skipped, the program failed after its results # exit=139
a program the runner times out is failed|not ok counting/tb_hang: 1 passed, 1 failed, 0 skipped, the program failed after its results # TIMEOUT 3 seconds
a 1..0 # SKIP program is a skip|skip counting/tb_skip: 0 passed, 0 failed, 1 skipped
a program without TAP that exits 1 is failed|not ok counting/tb_fail_no_tap.sh: 0 passed, 1 failed, 0 skipped
the sums|5 4 2
EOF
}

# testbed_classes LOG RC [BUG WHAT PATTERN]...: a result per deliberate bug
# of one boot: the run failed with a splat, the bug's load got as far as
# the bug (kasan's never returns), and vm-run listed its report.
testbed_classes() {
	local log=$1 rc=$2 b what pat
	shift 2
	if [ "$rc" != 1 ] || ! grep -q 'KERNEL SPLAT' "$log"; then
		cat "$log"
		while [ $# -ge 3 ]; do
			result fail "vm-run catches $2" "vm-run exit $rc, no splat reported"
			shift 3
		done
		return
	fi
	while [ $# -ge 3 ]; do
		b=$1 what=$2 pat=$3
		shift 3
		if splat_caught "$log" "$pat"; then
			result pass "vm-run catches $what ($pat)"
		elif [ "$b" != kasan ] && ! grep -q "^mydemo_splat: bug=$b done" "$log"; then
			result fail "vm-run catches $what" "mydemo_splat bug=$b did not load: see $log"
		else
			grep -E '^[0-9]+:' "$log"
			result fail "vm-run catches $what" "not in vm-run's list of splat lines: see $log"
		fi
	done
}
