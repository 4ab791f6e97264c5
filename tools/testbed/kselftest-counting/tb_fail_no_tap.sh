#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# No TAP of its own, exits 1: counts 1 failed.
echo "something went wrong (on purpose)"
exit 1
