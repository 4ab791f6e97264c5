# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/tap.sh: the result lines of the host-side tool tests, sourced by
# them: "ok - NAME", or "not ok - NAME" with the reason on "#" lines, as
# tools/check counts them. $nfail counts the failures for the exit status.

nfail=0

ok() { echo "ok - $1"; }
# fail NAME WHY: the reason follows on lines starting with "#".
fail() {
	echo "not ok - $1"
	printf '%s\n' "$2" | sed 's/^/#   /'
	nfail=$((nfail + 1))
}
