// SPDX-License-Identifier: GPL-2.0
/* "1..0 # SKIP": the whole program skips; counts 1 skipped. */
#include "kselftest.h"

int main(void)
{
	ksft_print_header();
	ksft_exit_skip("what this program needs is missing (on purpose)\n");
}
