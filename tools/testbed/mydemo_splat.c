// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately buggy module: `make check` (its testbed step) loads it in
 * the guest to prove that tools/vm-run fails a run on each class of kernel
 * report it claims to catch. The parameter bug= picks the bug, one per
 * load; the module loads (the bug is in its init), and unloads:
 *
 *   sleep      a GFP_KERNEL (may sleep) allocation under a spinlock:
 *              "BUG: sleeping function called from invalid context"
 *              (DEBUG_ATOMIC_SLEEP; the run goes on)
 *   nonstatic  a spinlock in allocated memory set up by assignment, not by
 *              spin_lock_init(): lockdep's "INFO: trying to register
 *              non-static key" (the run goes on, lockdep off)
 *   leak       33 objects whose only pointers are overwritten: kmemleak's
 *              "unreferenced object" at the scan before power-off
 *   circular   two mutexes taken in both orders: lockdep's "WARNING:
 *              possible circular locking dependency detected" (the run goes
 *              on, lockdep off)
 *   kasan      a read past the end of a kmalloc()ed object: "BUG: KASAN:
 *              slab-out-of-bounds", and panic_on_warn ends the run
 *
 * It is never built into anything else.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "the bug: sleep, nonstatic, leak, circular or kasan (Default: none)");

static DEFINE_SPINLOCK(splat_lock);
static DEFINE_MUTEX(splat_a);
static DEFINE_MUTEX(splat_b);
static void *splat_ptr;

struct splat_obj {
	spinlock_t lock;	/* protects value */
	int value;
};

static int splat_sleep(void)
{
	spin_lock(&splat_lock);
	WRITE_ONCE(splat_ptr, kmalloc(64, GFP_KERNEL));
	spin_unlock(&splat_lock);
	kfree(splat_ptr);
	WRITE_ONCE(splat_ptr, NULL);
	return 0;
}

static int splat_nonstatic(void)
{
	static spinlock_t template = __SPIN_LOCK_UNLOCKED(template);
	struct splat_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	/*
	 * A lock copied from a static one: its magic is right, but it has no
	 * lockdep key, and the memory it is in is not static.
	 */
	o->lock = template;
	spin_lock(&o->lock);
	o->value++;
	spin_unlock(&o->lock);
	kfree(o);
	return 0;
}

static int splat_leak(void)
{
	int i;

	/*
	 * kmemleak is conservative: a stale copy of a pointer (in a cached
	 * stack, say) hides that one object, so there are many.
	 */
	for (i = 0; i < 33; i++)
		WRITE_ONCE(splat_ptr, kmalloc(64, GFP_KERNEL));
	WRITE_ONCE(splat_ptr, NULL);
	return 0;
}

static int splat_circular(void)
{
	mutex_lock(&splat_a);
	mutex_lock(&splat_b);
	mutex_unlock(&splat_b);
	mutex_unlock(&splat_a);

	mutex_lock(&splat_b);
	mutex_lock(&splat_a);
	mutex_unlock(&splat_a);
	mutex_unlock(&splat_b);
	return 0;
}

static int splat_kasan(void)
{
	size_t size = 61;
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(p);
	OPTIMIZER_HIDE_VAR(size);
	pr_info("mydemo_splat: read past the end: %d\n", READ_ONCE(p[size]));
	kfree(p);
	return 0;
}

static int __init splat_init(void)
{
	if (!strcmp(bug, "sleep"))
		return splat_sleep();
	if (!strcmp(bug, "nonstatic"))
		return splat_nonstatic();
	if (!strcmp(bug, "leak"))
		return splat_leak();
	if (!strcmp(bug, "circular"))
		return splat_circular();
	if (!strcmp(bug, "kasan"))
		return splat_kasan();
	pr_err("mydemo_splat: bug=%s: want sleep, nonstatic, leak, circular or kasan\n", bug);
	return -EINVAL;
}
module_init(splat_init);

static void __exit splat_exit(void)
{
}
module_exit(splat_exit);

MODULE_DESCRIPTION("mydemo testbed self-test: one deliberate bug per load (bug=)");
MODULE_LICENSE("GPL");
