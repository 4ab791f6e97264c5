# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # tools/check sets what it uses
#
# tools/check, step file: DKMS as a user runs it. Sourced by tools/check,
# whose result(), step(), logged() and variables it uses.

# dkms.conf as a user runs it: add, build and install for each stock kernel,
# with --dkmstree, --sourcetree and --installtree in the cache, so that the
# host's /var/lib/dkms, /usr/src and /lib/modules stay untouched (checked).
# W=1 comes from the environment (KBUILD_EXTRA_WARN, which W=1 sets), V=1
# shows in make.log that it took effect. Signing is off: dkms would
# otherwise make a key in /var/lib/dkms for kernels whose sign-file the
# host has (6.1).
check_dkms() {
	local k kroot rel ver tree log stamp out dk mod=
	step "DKMS: add, build (W=1), install on the stock kernels"
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$MYDEMO_TOP/dkms.conf")
	stamp=$logdir/dkms.stamp
	touch "$stamp"
	for k in stock-6.12 stock-6.1; do
		if ! kroot=$("$MYDEMO_TOP/tools/build-kernel" "$k"); then
			result fail "dkms build on $k" "no kernel"
			continue
		fi
		rel=$(cat "$kroot/release")
		tree=$MYDEMO_CACHE/dkms/$k
		rm -rf "$tree"
		mkdir -p "$tree/var" "$tree/src" "$tree/modules/$rel"
		# The sources as a release would ship them: no build output.
		rsync -a --exclude=.git --filter=':- .gitignore' --exclude=/build/ \
			"$MYDEMO_TOP/" "$tree/src/mydemo-$ver/"
		dk=(dkms --dkmstree "$tree/var" --sourcetree "$tree/src"
			--installtree "$tree/modules" -m mydemo -v "$ver" -k "$rel"
			--kernelsourcedir "$(readlink -f "$kroot/kdir")" --no-depmod)
		log=$tree/var/mydemo/$ver/$rel/$(uname -m)/log/make.log
		if ! logged "dkms-add-$k" env KBUILD_EXTRA_WARN=1 KBUILD_VERBOSE=1 \
			sign_file=/nonexistent "${dk[@]}" add >/dev/null ||
			! logged "dkms-build-$k" env KBUILD_EXTRA_WARN=1 KBUILD_VERBOSE=1 \
				sign_file=/nonexistent "${dk[@]}" -j "$MYDEMO_JOBS" build ||
			[ ! -f "$log" ]; then
			tail -n 30 "$tree/var/mydemo/$ver/build/make.log" 2>/dev/null
			result fail "dkms build for $rel"
			continue
		fi
		out=$(grep -E 'warning:|error:' "$log")
		if [ -n "$out" ]; then
			echo "$out"
			result fail "dkms build for $rel, W=1" "warnings in $log"
		elif ! grep -q -- '-DKBUILD_EXTRA_WARN1' "$log"; then
			result fail "dkms build for $rel, W=1" "W=1 did not take effect: $log"
		else
			result pass "dkms build for $rel, W=1, no warning"
		fi

		mod=$tree/modules/$rel/updates/dkms/mydemo.ko
		if logged "dkms-install-$k" "${dk[@]}" install >/dev/null && [ -f "$mod" ] &&
			[ "$(modinfo -F vermagic "$mod" | cut -d' ' -f1)" = "$rel" ] &&
			"${dk[@]}" status | grep -q ': installed'; then
			result pass "dkms install for $rel (into the scratch tree)"
		else
			"${dk[@]}" status
			result fail "dkms install for $rel (into the scratch tree)"
		fi
	done

	# modinfo describes every parameter and says its default.
	out=$(modinfo -F parm "$mod" 2>&1)
	if [ -n "$out" ] && ! echo "$out" | grep -qv 'Default: '; then
		echo "$out"
		result pass "modinfo: every parameter has a description with its default"
	else
		echo "$out"
		result fail "modinfo: every parameter has a description with its default"
	fi

	out=$(find /var/lib/dkms /usr/src /lib/modules -maxdepth 3 -newer "$stamp" \
		2>/dev/null | head)
	if [ -n "$out" ]; then
		echo "$out"
		result fail "the host's /var/lib/dkms, /usr/src, /lib/modules untouched"
	else
		result pass "the host's /var/lib/dkms, /usr/src, /lib/modules untouched"
	fi
}
