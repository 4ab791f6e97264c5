# SPDX-License-Identifier: GPL-2.0
#
# mydemo top-level Makefile.
#
#   make                  build drivers/mydemo/mydemo.ko (KDIR=... for any
#                         kernel build tree; default: the running kernel's
#                         /lib/modules/$(uname -r)/build, else the testbed's
#                         debug kernel, built on first use), user tools,
#                         examples
#   make run              boot the testbed guest, run a workload, show the
#                         driver's statistics
#   make check            every test (static checks, KUnit, kselftests on
#                         five kernels); ends with a table of its steps' times
#                         and "N passed, N failed, N skipped"
#   make check-long       the same with the long forms of the fuzzing and the
#                         fault sweep (FULL=1)
#   make kunit            the KUnit suites through kunit.py run
#   make kselftest        the kselftests in the guest (KERNEL=debug|kcsan|
#                         stock-6.12|stock-6.1|rt), and in the same boot the
#                         KUnit suites where the kernel has KUnit
#   make lint             checkpatch, sparse, W=1, shellcheck
#   make vm               the lab: a shell in the guest with mydemo loaded
#   make fuzz             mydemo-fuzz, trinity and stress-ng, MINUTES (10)
#                         each, on KERNEL (debug); SEED=N repeats a run
#   make bench            mydemo against a pipe and a socketpair on stock-6.12
#                         (PUBLISH=1: copy the result into Documentation/bench/)
#   make stress           integrity, removal and signal stress on the debug and
#                         kcsan kernels, about 7 minutes each (DURATION=seconds
#                         of the integrity phase, default 180)
#   make setup            install the Debian packages the project needs
#   make clean
#
# Everything slow (kernels, runs) is cached in $(MYDEMO_CACHE).

MYDEMO_CACHE ?= $(HOME)/.cache/mydemo
export MYDEMO_CACHE
KERNEL ?= debug
# tools/bin, not tools/: tools/mydemo-stat/ is a source directory.
MYDEMO_BIN ?= $(CURDIR)/tools/bin

USER_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror \
	-I$(CURDIR)/include/uapi
USER_TOOLS := $(MYDEMO_BIN)/mydemo-workload $(MYDEMO_BIN)/mydemo-stat \
	$(MYDEMO_BIN)/mydemo-bench $(MYDEMO_BIN)/mydemo-fuzz $(MYDEMO_BIN)/mydemo-stress

.PHONY: all modules user-tools run check check-long kunit kselftest lint vm setup clean help
.PHONY: bench fuzz stress
.PHONY: examples

all: modules user-tools examples

# The standard out-of-tree module build. Without KDIR: the running kernel's
# build tree, as for any out-of-tree module, else the testbed's kernel.
ifeq ($(KDIR),)
KDIR_RUNNING := $(wildcard /lib/modules/$(shell uname -r)/build)
endif

modules:
ifneq ($(KDIR),)
	@echo "mydemo: building against KDIR=$(KDIR)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_MYDEMO=m modules
else ifneq ($(KDIR_RUNNING),)
	@echo "mydemo: building against the running kernel: $(KDIR_RUNNING)"
	$(MAKE) -C $(KDIR_RUNNING) M=$(CURDIR) CONFIG_MYDEMO=m modules
else
	@echo "mydemo: no /lib/modules/$$(uname -r)/build: building against the testbed's $(KERNEL) kernel"
	@kdir=$$(tools/build-kernel $(KERNEL)) && \
		$(MAKE) -C "$$kdir/kdir" M=$(CURDIR) CONFIG_MYDEMO=m modules
endif

user-tools: $(USER_TOOLS)

$(MYDEMO_BIN)/mydemo-workload: tools/workload/mydemo-workload.c
	@mkdir -p $(MYDEMO_BIN)
	$(CC) $(USER_CFLAGS) -o $@ $<

$(MYDEMO_BIN)/mydemo-stat: tools/mydemo-stat/mydemo-stat.c
	@mkdir -p $(MYDEMO_BIN)
	$(CC) $(USER_CFLAGS) -o $@ $<

$(MYDEMO_BIN)/mydemo-fuzz: tools/fuzz/mydemo-fuzz.c include/uapi/linux/mydemo.h
	@mkdir -p $(MYDEMO_BIN)
	$(CC) $(USER_CFLAGS) -o $@ $<

# The guest has no liburing: link it in, as the io_uring kselftest does.
$(MYDEMO_BIN)/mydemo-bench: tools/bench/mydemo-bench.c include/uapi/linux/mydemo.h
	$(CC) $(USER_CFLAGS) -o $@ $< -Wl,-Bstatic -luring -Wl,-Bdynamic -lpthread

# One file per phase (tools/stress/); the kselftests' helpers
# (mydemo_util.h) serve the stress too.
MYDEMO_STRESS_SRCS := $(sort $(wildcard $(CURDIR)/tools/stress/*.c))
$(MYDEMO_BIN)/mydemo-stress: $(MYDEMO_STRESS_SRCS) tools/stress/stress.h \
		include/uapi/linux/mydemo.h selftests/mydemo/mydemo_util.h
	@mkdir -p $(MYDEMO_BIN)
	$(CC) $(USER_CFLAGS) -I$(CURDIR)/selftests/mydemo -o $@ $(MYDEMO_STRESS_SRCS) \
		-Wl,-Bstatic -luring -Wl,-Bdynamic

# The example programs of examples/, into build/examples/ (the kselftest
# collection selftests/mydemo-examples builds them too, for the guest).
examples:
	$(MAKE) -C examples O=$(CURDIR)/build/examples

run: setup
	tools/run-demo --kernel $(KERNEL)

check: setup
	tools/check

check-long: setup
	FULL=1 tools/check

kunit: setup
	tools/check kunit

kselftest: setup
	tools/check kunit-guest:$(KERNEL) kselftest:$(KERNEL)

lint: setup
	tools/check static

vm: setup
	tools/vm-run --kernel $(KERNEL)

# Long; make check runs a short version (its "fuzz" step).
fuzz: setup
	tools/fuzz/run --minutes $(or $(MINUTES),10) --kernel $(KERNEL) $(if $(SEED),--seed $(SEED))

# Not part of check: it reports, it does not pass or fail.
bench: setup
	tools/bench/run $(if $(PUBLISH),--publish)

# The long form; `make check` runs the short one (tools/check stress).
stress: setup
	tools/stress/run $(if $(DURATION),--duration $(DURATION))

setup:
	@tools/setup

clean:
	rm -f $(USER_TOOLS)
	find drivers kunit tools/testbed \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name 'modules.order' \) -delete
	rm -f Module.symvers modules.order .*.cmd .module-common.o
	rm -rf build
	@# The kselftests built inside a kernel tree (tools/build-selftests):
	@# the executables that are not scripts.
	find selftests -type f -perm -u+x ! -name '*.sh' -delete

help:
	@sed -n '3,33p' Makefile | cut -c3-
