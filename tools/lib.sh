# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the scripts in tools/: where the cache lives, how things are
# keyed, and how missing host packages get installed. Sourced, never run.

MYDEMO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MYDEMO_CACHE=${MYDEMO_CACHE:-$HOME/.cache/mydemo}
# The kernel every self-built kernel comes from (Debian's linux-source-6.12).
MYDEMO_SRC_PKG=linux-source-6.12
MYDEMO_JOBS=${MYDEMO_JOBS:-$(nproc)}
export MYDEMO_TOP MYDEMO_CACHE

mydemo_log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
mydemo_die() { mydemo_log "error: $*"; exit 1; }

# mydemo_need_pkgs PKG...: install the Debian packages that are missing.
# `apt-get update` runs at most once per call, only when something is missing.
mydemo_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || mydemo_die "need root to install: ${missing[*]}"
	mydemo_log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
		mydemo_die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >&2 || mydemo_die "apt-get install failed: ${missing[*]}"
}

# Everything a build of a kernel, of the module or of the guest needs.
# gcc-multilib: gcc -m32 and a static 32-bit libc, for the 32-bit builds of
# the kselftests (the compat path of read, write and the ioctls).
# ocaml-nox: spatch compiles the kernel's OCaml-scripted semantic patches
# (null/badzero.cocci among them) with ocamlopt; coccinelle does not depend
# on it, and without it `make coccicheck` stops.
MYDEMO_HOST_PKGS=(make gcc gcc-multilib libc6-dev bc bison flex libelf-dev libssl-dev cpio kmod
	dwarves python3 perl xz-utils rsync qemu-system-x86 busybox-static trace-cmd
	liburing-dev sparse shellcheck dkms coccinelle ocaml-nox gnuplot-nox trinity stress-ng ccache
	"$MYDEMO_SRC_PKG")

mydemo_setup_host() { mydemo_need_pkgs "${MYDEMO_HOST_PKGS[@]}"; }

# mydemo_hash FILE|STRING...: a short stable key over contents and strings.
mydemo_hash() {
	local a
	for a in "$@"; do
		if [ -f "$a" ]; then cat "$a"; else printf '%s\n' "$a"; fi
	done | sha256sum | cut -c1-12
}

# mydemo_src: print the path of the pristine, unpacked kernel source, unpacking
# it on first use. Nothing is ever built inside it (all builds use O=).
mydemo_src() {
	local tarball ver dir
	tarball=
	for t in /usr/src/"$MYDEMO_SRC_PKG".tar.*; do [ -f "$t" ] && tarball=$t; done
	[ -n "$tarball" ] || mydemo_die "$MYDEMO_SRC_PKG is not installed"
	ver=$(dpkg-query -W -f='${Version}' "$MYDEMO_SRC_PKG")
	dir=$MYDEMO_CACHE/src/$MYDEMO_SRC_PKG-$ver
	if [ ! -f "$dir/.unpacked" ]; then
		mydemo_log "unpacking $tarball (once)"
		rm -rf "$dir" && mkdir -p "$dir.tmp"
		tar -xaf "$tarball" -C "$dir.tmp" --strip-components=1 ||
			mydemo_die "cannot unpack $tarball"
		mv "$dir.tmp" "$dir" && touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# mydemo_tree: print the path of a kernel tree with the project in it, as a
# kernel developer would have it: a private copy of the pristine source
# made of hard links (cheap; the pristine tree is never written: files that
# change are replaced, not edited), with
#   mydemo/                               the driver and KUnit sources (a
#                                         copy, refreshed here), hooked in by
#                                         one line in Kbuild and in Kconfig
#                                         (tools/kunit-run builds it)
#   tools/testing/selftests/mydemo        links to selftests/mydemo and
#   tools/testing/selftests/mydemo-examples  selftests/mydemo-examples
#                                         (tools/build-selftests builds them
#                                         with the tree's selftests Makefile)
mydemo_tree() {
	local src tree t
	src=$(mydemo_src)
	tree=$MYDEMO_CACHE/kunit/$(basename "$src")
	# A symlink here is a link to the pristine tree: never use it.
	if [ -L "$tree" ] || [ ! -f "$tree/.mydemo-ready" ]; then
		mydemo_log "making the kernel tree $tree (hard links to $src)"
		rm -rf "$tree" && mkdir -p "$tree"
		# "$src/.", not "$src": when $src is a symlink (a cache sharing
		# another cache's unpacked source), cp -a would copy the symlink,
		# and the edits below would go into the pristine tree.
		cp -al "$src/." "$tree"
		# sed -i writes a new file: the pristine tree's copy is untouched.
		sed -i '$a obj-y += mydemo/' "$tree/Kbuild"
		sed -i '$a source "mydemo/drivers/mydemo/Kconfig"\nsource "mydemo/kunit/Kconfig"' \
			"$tree/Kconfig"
		touch "$tree/.mydemo-ready"
	fi
	mkdir -p "$tree/mydemo"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' \
		"$MYDEMO_TOP/Kbuild" "$MYDEMO_TOP/drivers" "$MYDEMO_TOP/kunit" \
		"$MYDEMO_TOP/include" "$tree/mydemo/"
	# The checkout this run is from (another clone may have linked its own).
	for t in "$MYDEMO_TOP"/selftests/*/; do
		t=$(basename "$t")
		ln -sfn "$MYDEMO_TOP/selftests/$t" "$tree/tools/testing/selftests/$t"
	done
	echo "$tree"
}

# mydemo_accel KROOT: "kvm" where /dev/kvm runs a guest kernel on this
# machine, else "tcg". A /dev/kvm that opens is not enough: on a nested PVM
# host (the project's machines) a normal kernel dies on cmpxchg16b under
# KVM. The probe boots KROOT's kernel under KVM to its first user process
# (rdinit=/bin/true, 30 s at most), once per machine, host kernel and QEMU:
# the verdict is cached and printed when it is made. MYDEMO_ACCEL=tcg|kvm
# overrides it.
mydemo_accel() {
	local kroot=$1 key verdict log
	if [ -n "${MYDEMO_ACCEL:-}" ]; then
		echo "$MYDEMO_ACCEL"
		return
	fi
	key=$MYDEMO_CACHE/accel/$(mydemo_hash "$(hostname)" "$(uname -r)" \
		"$(qemu-system-x86_64 --version | head -n 1)")
	if [ ! -f "$key" ]; then
		mkdir -p "$MYDEMO_CACHE/accel"
		log=$key.log
		if [ ! -w /dev/kvm ]; then
			verdict="tcg: /dev/kvm is missing or not writable"
		elif timeout -k 5 30 qemu-system-x86_64 -M microvm -accel kvm -cpu host \
			-smp 1 -m 256M -nodefaults -display none -no-reboot \
			-kernel "$kroot/vmlinuz" -initrd "$("$MYDEMO_TOP/tools/mkinitramfs")" \
			-append "console=ttyS0 rdinit=/bin/true panic=-1" -serial "file:$log" \
			</dev/null >/dev/null 2>&1; [ -f "$log" ] &&
			grep -q 'Run /bin/true as init process' "$log"; then
			verdict="kvm: a guest kernel booted under KVM"
		else
			verdict="tcg: /dev/kvm did not boot a guest kernel ($(grep -m 1 -E \
				'KVM internal error|emulation failure|Kernel panic' "$log" \
				2>/dev/null || echo 'no output in 30 s'))"
		fi
		echo "$verdict" >"$key"
		mydemo_log "KVM probe (once per machine; MYDEMO_ACCEL=tcg|kvm overrides): $verdict"
	fi
	cut -d: -f1 "$key"
}

# Debian's own kernels (the flavours stock-6.12 and stock-6.1: the cloud
# kernels; rt: the PREEMPT_RT kernel of 6.12): the newest version for which
# both the image and its headers are in the archive. Printed as e.g.
# 6.12.117+deb12-cloud-amd64 or 6.12.117+deb12-rt-amd64.
mydemo_stock_release() {
	local flavour=$1 series pat
	case $flavour in
	stock-6.12) series=6.12 pat='^linux-headers-6\.12\.[0-9]+\+deb12-cloud-amd64$' ;;
	stock-6.1) series=6.1 pat='^linux-headers-6\.1\.0-[0-9]+-cloud-amd64$' ;;
	rt) series=6.12 pat='^linux-headers-6\.12\.[0-9]+\+deb12-rt-amd64$' ;;
	*) mydemo_die "unknown Debian kernel flavour $flavour" ;;
	esac
	# A candidate version, not just a name: apt-cache show also answers for
	# a name that only an -unsigned package provides (6.12.118 when it was
	# new), which apt-get download cannot fetch.
	apt-cache pkgnames linux-headers-"$series" 2>/dev/null | grep -E "$pat" |
		sed 's/^linux-headers-//' | while read -r r; do
			# grep reads it all (no -q): no SIGPIPE for pipefail.
			if apt-cache policy "linux-image-$r" 2>/dev/null |
				grep 'Candidate: [0-9]' >/dev/null; then
				echo "$r"
			fi
		done | sort -V | tail -n 1
}
