# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the static checks: checkpatch, sparse, W=1, kernel-
# doc, shellcheck, coccicheck. Sourced by tools/check, whose result(), step(),
# logged() and variables it uses.

# checkpatch types that do not apply to a file, each with its reason.
ignores() {
	case $1 in
	# The one place where kernel versions are compared, by design.
	drivers/mydemo/compat.h) echo --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON ;;
	# The TRACE_EVENT() macro language, laid out as include/trace/events/
	# and samples/trace_events/ lay it out.
	drivers/mydemo/trace.h) echo --ignore PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE ;;
	# The harness's ASSERT_*()/EXPECT_*() expand to two statements (the
	# check, then a loop running its optional TH_LOG()): a loop around one
	# needs braces, or the log runs after the loop and an ASSERT does not
	# stop at the failing iteration.
	selftests/*)
		echo --ignore PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES,MACRO_ARG_UNUSED,BRACES ;;
	# User space: C99 types, and the selftest harness's own macros.
	tools/* | examples/*)
		echo --ignore PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES,MACRO_ARG_UNUSED ;;
	esac
}

check_static() {
	local src f out files moddir sym
	step "static checks"
	src=$(mydemo_src)
	# sparse below runs against the debug kernel: build it first, where its
	# progress shows (a cold build takes minutes).
	"$MYDEMO_TOP/tools/build-kernel" debug >/dev/null || {
		result fail "the debug kernel builds"
		return
	}
	files=$(cd "$MYDEMO_TOP" && ls drivers/mydemo/*.[ch] include/uapi/linux/*.h \
		kunit/*.c selftests/*/*.[ch] tools/workload/*.c tools/bench/*.c tools/testbed/*.c \
		tools/testbed/*/*.c \
		tools/stress/*.[ch] tools/fuzz/*.c \
		examples/*.c tools/mydemo-stat/*.c 2>/dev/null)
	for f in $files; do
		# Kernel style everywhere; user-space files may use C99 types and
		# the selftest harness's macros, which checkpatch does not know.
		# shellcheck disable=SC2046 # ignores() prints separate words
		out=$(cd "$MYDEMO_TOP" && perl "$src/scripts/checkpatch.pl" --no-tree \
			--strict --terse --show-types --ignore FILE_PATH_CHANGES \
			$(ignores "$f") \
			-f "$f" 2>&1 | grep -E 'ERROR|WARNING|CHECK')
		if [ -n "$out" ]; then
			echo "$out"
			result fail "checkpatch --strict $f"
		else
			result pass "checkpatch --strict $f"
		fi
	done

	out=$("$MYDEMO_TOP/tools/build-module" debug C=2 CHECK=sparse 2>&1 >/dev/null |
		grep -E 'warning|error' | grep -v '^make')
	if [ -n "$out" ]; then
		echo "$out"
		result fail "sparse (C=2) on the debug kernel"
	else
		result pass "sparse (C=2) on the debug kernel"
	fi

	# kernel-doc: no warnings, and a comment for every function that is not
	# static (the global symbols of the driver's objects).
	moddir=$("$MYDEMO_TOP/tools/build-module" debug 2>/dev/null)
	out=$(cd "$MYDEMO_TOP" && "$src/scripts/kernel-doc" -none -Wall \
		drivers/mydemo/*.[ch] include/uapi/linux/*.h 2>&1)
	for sym in $(nm -g --defined-only "$moddir"/drivers/mydemo/*.o 2>/dev/null |
		awk '$2 == "T" { print $3 }' | grep -v -e '^__' -e '^init_module$' -e '^cleanup_module$' | sort -u); do
		grep -q "^ \* $sym() - " "$MYDEMO_TOP"/drivers/mydemo/*.c ||
			out="$out${out:+
}no kernel-doc comment for $sym()"
	done
	if [ -n "$out" ]; then
		echo "$out"
		result fail "kernel-doc on every non-static function"
	else
		result pass "kernel-doc on every non-static function"
	fi

	local bash_scripts sh_scripts name
	mapfile -t bash_scripts < <(shell_scripts bash)
	mapfile -t sh_scripts < <(shell_scripts sh)
	out=$(cd "$MYDEMO_TOP" && shellcheck -x -s bash "${bash_scripts[@]}" 2>&1 &&
		shellcheck -s sh "${sh_scripts[@]}" 2>&1)
	name="shellcheck: ${#bash_scripts[@]} bash and ${#sh_scripts[@]} sh scripts"
	if [ -n "$out" ]; then
		echo "$out"
		result fail "$name"
	else
		result pass "$name"
	fi

	check_coccicheck
}

# Every shell script of the repository for SHELL (bash or sh), by its #! line
# or, for a file that is sourced, its "# shellcheck shell=" directive: a new
# script is checked without being listed anywhere.
shell_scripts() {
	local f
	while IFS= read -r f; do
		head -n 2 "$MYDEMO_TOP/$f" |
			grep -qE "^(#!/bin/$1|#!/usr/bin/env $1|# shellcheck shell=$1)( |\$)" &&
			echo "$f"
	done < <(cd "$MYDEMO_TOP" && find . \( -name .git -o -name build \) -prune -o \
		-type f -print | sed 's|^\./||' | LC_ALL=C sort)
}

# The kernel's own semantic patches (scripts/coccinelle, every one whose
# requirements the installed spatch meets) over the driver, in report mode.
# A finding is a line "drivers/mydemo/FILE:LINE:COLUMNS: WARNING|ERROR: ...".
# There are none, so nothing is suppressed.
check_coccicheck() {
	local kroot dir out findings t0=$SECONDS
	kroot=$("$MYDEMO_TOP/tools/build-kernel" debug) || return
	dir=$MYDEMO_TOP/drivers/mydemo
	if ! out=$(make -s -C "$kroot" M="$dir" coccicheck MODE=report 2>&1); then
		echo "$out" | tail -n 20
		result fail "coccicheck (MODE=report) on drivers/mydemo" "make failed"
		return
	fi
	findings=$(echo "$out" | grep -E "^$dir/[^:]+:[0-9]+")
	if [ -n "$findings" ]; then
		echo "$findings"
		result fail "coccicheck (MODE=report) on drivers/mydemo"
	else
		result pass "coccicheck (MODE=report) on drivers/mydemo" \
			"$((SECONDS - t0)) s"
	fi
}
