# SPDX-License-Identifier: GPL-2.0
#
# KSRC: the kernel tree whose selftest harness (lib.mk, kselftest_harness.h)
# builds the collections of selftests/. Included by their Makefiles.
#
# Inside a kernel tree it is that tree, found as lib.mk is found:
#  - a collection copied into tools/testing/selftests/ has lib.mk beside it;
#  - a linked one (make resolves the link: CURDIR is this repository) is
#    found through the shell's logical PWD when one cd'd into it, or learns
#    the tree from the selftests Makefile, which passes its own directory
#    down as BUILD (without O=) and as SRC_PATH (install);
#  - `make kselftest*` from the tree's top exports abs_srctree.
# Outside a tree (or with O=, which hides the tree): KSRC=<kernel source> on
# the command line, or /usr/src/linux.
ifeq ($(origin KSRC),undefined)
ifneq ($(wildcard $(CURDIR)/../lib.mk),)
KSRC := $(abspath $(CURDIR)/../../../..)
else ifneq ($(and $(PWD),$(wildcard $(abspath $(PWD)/..)/lib.mk)),)
KSRC := $(abspath $(PWD)/../../../..)
else ifneq ($(and $(SRC_PATH),$(wildcard $(SRC_PATH)/lib.mk)),)
KSRC := $(abspath $(SRC_PATH)/../../..)
else ifneq ($(and $(BUILD),$(wildcard $(BUILD)/lib.mk)),)
KSRC := $(abspath $(BUILD)/../../..)
else ifneq ($(and $(abs_srctree),$(wildcard $(abs_srctree)/tools/testing/selftests/lib.mk)),)
KSRC := $(abs_srctree)
else
KSRC := /usr/src/linux
endif
endif
ifeq ($(wildcard $(KSRC)/tools/testing/selftests/lib.mk),)
$(error no kernel selftests in KSRC=$(KSRC): build from a kernel tree's tools/testing/selftests, or pass KSRC=<kernel source>)
endif
