/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels mydemo supports (6.1 .. 6.12),
 * in one place so that the rest of the driver is written against the
 * current API only.
 */
#ifndef _MYDEMO_COMPAT_H
#define _MYDEMO_COMPAT_H

#include <linux/mm.h>
#include <linux/uio.h>
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
 *
 * On an ITER_PIPE, copy_page_to_iter() does not copy: it hands the page
 * itself to the pipe. A page of the ring would then be read from the pipe
 * after the writer reused it, so before 6.5 the bytes are copied into the
 * pipe's own pages.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define mydemo_splice_read	copy_splice_read
#define mydemo_copy_page_to_iter	copy_page_to_iter
#else
#define mydemo_splice_read	generic_file_splice_read

static inline size_t mydemo_copy_page_to_iter(struct page *page, size_t off,
					      size_t n, struct iov_iter *to)
{
	if (iov_iter_is_pipe(to))
		return copy_to_iter(page_address(page) + off, n, to);
	return copy_page_to_iter(page, off, n, to);
}
#endif

#endif /* _MYDEMO_COMPAT_H */
