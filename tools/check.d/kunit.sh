# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: KUnit: kunit.py run on UML, and the suites inside
# the debug and kcsan guests. Sourced by tools/check, whose result(), step(),
# logged() and variables it uses.

check_kunit() {
	local log json
	step "KUnit (kunit.py run, UML)"
	json=$logdir/kunit.json
	rm -f "$json"
	logged kunit "$MYDEMO_TOP/tools/kunit-run" --json="$json"
	log=$logdir/kunit.log
	kunit_count kunit "$json" || result fail "kunit.py run" "no results: see $log"
}

# kunit_count NAME JSON: add the results of kunit.py's JSON to the totals,
# print the failed cases and a summary line; non-zero when there were none.
kunit_count() {
	local name=$1 counts line p f s
	counts=$(kunit_json_counts "$2")
	read -r p f s <<<"$(echo "$counts" | head -n 1)"
	p=${p:-0} f=${f:-0} s=${s:-0}
	passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
	while IFS= read -r line; do
		[ -n "$line" ] && echo "[check] $name: not ok: $line"
	done < <(echo "$counts" | tail -n +2)
	[ "$f" -gt 0 ] && failures+=("$name: $f test(s)")
	echo "[check] $name: $p passed, $f failed, $s skipped"
	kunit_failed=$f
	[ $((p + f + s)) -gt 0 ]
}

# kunit_json_counts JSON: the results of kunit.py's JSON (--json of run or
# parse): "PASSED FAILED SKIPPED", then the failed cases, one per line. A
# test case per leaf: PASS, SKIP, FAIL, or an error (a crash, a test that
# never reported), which counts as failed.
kunit_json_counts() {
	python3 - "$1" <<'EOF' 2>&1
import json, sys
c = {"PASS": 0, "FAIL": 0, "SKIP": 0}
bad = []
def walk(group, path):
    for t in group.get("test_cases", []):
        st = t["status"] if t["status"] in c else "FAIL"
        c[st] += 1
        if st == "FAIL":
            bad.append("%s%s (%s)" % (path, t["name"] or
                                      "<a test that never reported>", t["status"]))
    for g in group.get("sub_groups", []):
        walk(g, path + g["name"] + ".")
try:
    with open(sys.argv[1]) as fh:
        walk(json.load(fh), "")
except (OSError, ValueError, KeyError) as e:
    print("0 0 0")
    print("no JSON from kunit.py: %s" % e)
    sys.exit(0)
print(c["PASS"], c["FAIL"], c["SKIP"])
print("\n".join(bad))
EOF
}

# kunit_guest_results K LOG RC: the KUnit suites of a guest's LOG, counted
# by the kernel's own KTAP parser (kunit.py parse, its JSON: a test case per
# leaf, PASS, SKIP, FAIL or ERROR for a crash), and whether the kernel log
# stayed clean while they ran: vm-run's splat report gives the console line
# of the first splat, the guest marks the end of the suites there.
kunit_guest_results() {
	local k=$1 log=$2 rc=$3 ktap json prc console first done_at name ran=0
	ktap=$logdir/kunit-guest-$k.ktap json=$logdir/kunit-guest-$k.json
	sed -n '/^mydemo-kunit: KTAP begin$/,/^mydemo-kunit: KTAP end$/{//!p}' "$log" >"$ktap"
	rm -f "$json"
	echo "[check] KUnit inside the $k kernel: kunit.py parse $ktap"
	python3 "$(mydemo_src)/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap" \
		>"$logdir/kunit-guest-$k.parse.log" 2>&1
	prc=$?
	cat "$logdir/kunit-guest-$k.parse.log"
	kunit_count "kunit-guest:$k" "$json" && ran=1
	if [ "$ran" = 0 ]; then
		result fail "kunit-guest:$k: the suites ran" "no results: see $log"
	elif [ "$prc" != 0 ] && [ "$kunit_failed" -eq 0 ]; then
		result fail "kunit-guest:$k: kunit.py parse" "it found errors in $ktap"
	fi

	first='' done_at=''
	console=$(sed -n 's/^======== full log: \(.*\) ========$/\1/p' "$log" | tail -n 1)
	if grep -q 'KERNEL SPLAT' "$log" && [ -n "$console" ] && [ -f "$console" ]; then
		done_at=$(grep -n 'mydemo-kunit: suites done' "$console" | head -n 1 | cut -d: -f1)
		first=$(sed -n '/KERNEL SPLAT/{n;s/^\([0-9][0-9]*\):.*/\1/p;}' "$log" | head -n 1)
	fi
	name="kunit-guest:$k: clean kernel log, clean load and unload"
	if grep -qE '^mydemo-kunit: (insmod|rmmod) ' "$log"; then
		result fail "$name" "$(grep -E '^mydemo-kunit: (insmod|rmmod) ' "$log" | head -n 1)"
	elif ! grep -q '^mydemo-kunit: KTAP end$' "$log"; then
		result fail "$name" "the suites did not finish: vm-run exit $rc"
	elif [ -n "$first" ] && { [ -z "$done_at" ] || [ "$first" -lt "$done_at" ]; }; then
		result fail "$name" "a splat during the suites: vm-run exit $rc"
	else
		result pass "$name"
	fi
}
