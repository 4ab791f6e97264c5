// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately buggy module: `make check` loads it in the guest to prove
 * that tools/vm-run fails a run on a kernel splat, and that the kmemleak
 * scan at power-off reports leaks. It is never built into anything else.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(splat_lock);
static void *splat_ptr;

static int __init splat_init(void)
{
	int i;

	/* Bug 1: a GFP_KERNEL (may sleep) allocation under a spinlock. */
	spin_lock(&splat_lock);
	WRITE_ONCE(splat_ptr, kmalloc(64, GFP_KERNEL));
	spin_unlock(&splat_lock);
	/*
	 * Bug 2: leaks, the only pointer to each overwritten. kmemleak is
	 * conservative: a stale copy of a pointer (in a cached stack, say)
	 * hides that one object, so there are many.
	 */
	for (i = 0; i < 32; i++)
		WRITE_ONCE(splat_ptr, kmalloc(64, GFP_KERNEL));
	WRITE_ONCE(splat_ptr, NULL);
	return 0;
}
module_init(splat_init);

MODULE_DESCRIPTION("mydemo testbed self-test: a sleep in atomic context and a leak");
MODULE_LICENSE("GPL");
