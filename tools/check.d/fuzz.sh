# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: the short fuzzing run. Sourced by tools/check, whose
# result(), step(), logged() and variables it uses.

# A short fuzzing run (make fuzz is the long one): a result per tool, with
# its seed and figures, and one for the guest's kernel log.
check_fuzz() {
	step "fuzzing on the debug kernel, $fuzz_secs s per tool, seed $seed"
	tool_cases fuzz "$MYDEMO_TOP/tools/fuzz/run" --seconds "$fuzz_secs" --kernel debug \
		--seed "$seed"
}
