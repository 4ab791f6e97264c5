// SPDX-License-Identifier: GPL-2.0
/*
 * One result, then a crash before the other two and before any Totals:
 * counts 1 passed and 1 failed (the program).
 */
#include <signal.h>

#include "kselftest.h"

int main(void)
{
	ksft_print_header();
	ksft_set_plan(3);
	ksft_test_result_pass("before the crash\n");
	raise(SIGSEGV);
	return 0;
}
