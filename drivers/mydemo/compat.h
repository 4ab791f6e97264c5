/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels mydemo supports (6.1 .. 6.12),
 * in one place so that the rest of the driver is written against the
 * current API only.
 */
#ifndef _MYDEMO_COMPAT_H
#define _MYDEMO_COMPAT_H

#include <linux/version.h>

/*
 * 6.2 made the devnode callback take a const device; 6.4 made
 * class_register() and the class attribute callbacks take a const class.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MYDEMO_DEVNODE_CONST const
#else
#define MYDEMO_DEVNODE_CONST
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MYDEMO_CLASS_CONST const
#else
#define MYDEMO_CLASS_CONST
#endif

/*
 * splice from the device into a pipe goes through read_iter: 6.5 named the
 * helper that does that for any file copy_splice_read(); before, it was
 * generic_file_splice_read() (with an ITER_PIPE). Both keep every guarantee
 * of read(), which they call.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define mydemo_splice_read	copy_splice_read
#else
#define mydemo_splice_read	generic_file_splice_read
#endif

#endif /* _MYDEMO_COMPAT_H */
