#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make run`: the driver's sysfs files for two devices
# before the workload, while it runs (once its SIGIO subscriber is in), and
# after it, side by side; then what mydemo-stat saw: the totals before, the
# rates of the first two seconds of the workload, the totals after.

snap() {
	for d in mydemo0 mydemo1; do
		dir=/sys/class/mydemo/$d
		for f in "$dir"/* "$dir"/statistics/*; do
			# stat: one line of many numbers, mydemo-stat's (below).
			case ${f##*/} in uevent | dev | stat) continue ;; esac
			if [ ! -f "$f" ] || [ ! -r "$f" ]; then
				continue
			fi
			v=$(head -n 1 "$f" 2>/dev/null)
			printf '%s %s %s\n' "$d" "${f#"$dir"/}" "${v:-?}"
		done
	done
}

echo "mydemo: $(cat /sys/module/mydemo/parameters/ndevices) devices," \
	"fifo_size=$(cat /sys/module/mydemo/parameters/fifo_size)," \
	"$(grep -c ^processor /proc/cpuinfo) CPUs, kernel $(uname -r)"
snap >/tmp/before
# Totals now, then the rates over two seconds of the workload.
/opt/extra/mydemo-stat -i 1 -n 3 -d mydemo0 -d mydemo1 >/tmp/stat 2>&1 &
st=$!
/opt/extra/mydemo-workload "$@" &
wl=$!
# The subscriber shows up in sysfs: that is the moment for the middle look.
while kill -0 "$wl" 2>/dev/null &&
	[ "$(cat /sys/class/mydemo/mydemo1/fasync_subscribers)" = 0 ]; do
	sleep 0.01
done
snap >/tmp/during
wait "$wl" || rc=$?
wait "$st"
snap >/tmp/after

echo
echo "/sys/class/mydemo/<dev>/         mydemo0: before / during / after   mydemo1: before / during / after"
paste -d' ' /tmp/before /tmp/during /tmp/after | awk '
	{ key = $2; b[$1, key] = $3; d[$1, key] = $6; a[$1, key] = $9
	  if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
	END { for (i = 0; i < n; i++) { k = order[i]
		printf "  %-30s %8s %8s %8s   %8s %8s %8s\n", k,
		       b["mydemo0", k], d["mydemo0", k], a["mydemo0", k],
		       b["mydemo1", k], d["mydemo1", k], a["mydemo1", k] } }'

# Shown, but not part of the demo's verdict (the workload's).
echo
echo "mydemo-stat -i 1 -n 3    (totals before, then per second during the workload)"
sed 's/^./  &/' /tmp/stat
echo
echo "mydemo-stat    (totals after the workload)"
/opt/extra/mydemo-stat -d mydemo0 -d mydemo1 2>&1 | sed 's/^./  &/'
exit "${rc:-0}"
