// SPDX-License-Identifier: GPL-2.0
/*
 * One result, then it never ends: the runner's timeout (settings: 3 s)
 * stops it; counts 1 passed and 1 failed (the program).
 */
#include <unistd.h>

#include "kselftest.h"

int main(void)
{
	ksft_print_header();
	ksft_set_plan(2);
	ksft_test_result_pass("before the hang\n");
	for (;;)
		pause();
	return 0;
}
