// SPDX-License-Identifier: GPL-2.0
/*
 * Every result passed and the Totals printed, then a crash: the runner says
 * "not ok"; counts 1 passed and 1 failed (the program).
 */
#include <signal.h>

#include "kselftest.h"

int main(void)
{
	ksft_print_header();
	ksft_set_plan(1);
	ksft_test_result_pass("all good so far\n");
	ksft_print_cnts();
	raise(SIGSEGV);
	return 0;
}
