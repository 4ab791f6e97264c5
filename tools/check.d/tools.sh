# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the user tools on the host. Sourced by tools/check,
# whose result(), step(), logged() and variables it uses.

# tool_cases NAME CMD...: a test script that prints "ok - CASE" or
# "not ok - CASE" followed by "#" lines saying why; a result per case.
tool_cases() {
	local name=$1 log rc line n=0
	shift
	log=$logdir/$name.log
	"$@" >"$log" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) result pass "$name: ${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) result fail "$name: ${line#not ok - }"; n=$((n + 1)) ;;
		*) echo "$line" ;;
		esac
	done <"$log"
	if [ "$n" -eq 0 ] || { [ "$rc" != 0 ] && ! grep -q '^not ok - ' "$log"; }; then
		result fail "$name: the test script" "exit $rc, $n cases: see $log"
	fi
}

check_tools() {
	local bin
	step "user tools on the host"
	bin=$(mktemp -d)
	if logged tools-build make -s -C "$MYDEMO_TOP" MYDEMO_BIN="$bin" user-tools; then
		result pass "the user tools build with -Werror"
		tool_cases mydemo-stat "$MYDEMO_TOP/tools/mydemo-stat/test.sh" "$bin/mydemo-stat"
	else
		result fail "the user tools build with -Werror"
	fi
	rm -rf "$bin"
	tool_cases mydemo-trace-report "$MYDEMO_TOP/tools/mydemo-trace-report-test.sh"
}
