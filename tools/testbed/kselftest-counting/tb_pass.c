// SPDX-License-Identifier: GPL-2.0
/* Two passes and a skip, through the harness: counts 2 passed, 1 skipped. */
#include "kselftest_harness.h"

TEST(first)
{
	ASSERT_EQ(1, 1);
}

TEST(second)
{
	ASSERT_NE(0, 1);
}

TEST(skipped)
{
	SKIP(return, "on purpose");
}

TEST_HARNESS_MAIN
