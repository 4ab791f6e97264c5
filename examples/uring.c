// SPDX-License-Identifier: GPL-2.0
/*
 * uring: read and write a mydemo device through io_uring (liburing).
 *
 *   uring [DEVICE]           (default /dev/mydemo0)
 *
 * A read is queued first, on the empty device: it does not complete, and no
 * thread waits for it (mydemo supports non-blocking attempts, so io_uring
 * arms poll on the device instead of parking a worker). Then a write is
 * queued; the data it brings completes the read. Each request carries a
 * user_data tag that comes back in its completion.
 * Give it a device nobody else is using.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { TAG_READ = 1, TAG_WRITE = 2 };

/* Queue one request; liburing returns -errno, never sets errno. */
static void submit(struct io_uring *ring)
{
	int ret = io_uring_submit(ring);

	if (ret < 0)
		errx(1, "io_uring_submit: %s", strerror(-ret));
	if (ret != 1)
		errx(1, "io_uring_submit: %d requests queued", ret);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	static const char msg[] = "through the ring";
	char buf[64] = "";
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd, ret, i;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		err(1, "open %s", dev);
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0) {
		/* Kernels can be built or configured without io_uring. */
		errx(2, "io_uring is not available: %s", strerror(-ret));
	}

	/* Offset -1: a device without a file position reads "from now". */
	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		errx(1, "no free submission queue entry");
	io_uring_prep_read(sqe, fd, buf, sizeof(buf) - 1, -1);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	submit(&ring);

	/* Nothing to read yet: no completion. */
	ret = io_uring_peek_cqe(&ring, &cqe);
	if (ret != -EAGAIN)
		errx(1, "the read completed on an empty device");
	printf("read queued, pending: the device is empty\n");

	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		errx(1, "no free submission queue entry");
	io_uring_prep_write(sqe, fd, msg, sizeof(msg) - 1, -1);
	io_uring_sqe_set_data64(sqe, TAG_WRITE);
	submit(&ring);

	/* Two completions, in whatever order the kernel finished them. */
	for (i = 0; i < 2; i++) {
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret < 0)
			errx(1, "io_uring_wait_cqe: %s", strerror(-ret));
		if (cqe->res < 0)
			errx(1, "request %llu failed: %s",
			     (unsigned long long)io_uring_cqe_get_data64(cqe),
			     strerror(-cqe->res));
		if (io_uring_cqe_get_data64(cqe) == TAG_WRITE)
			printf("write completed: %d bytes\n", cqe->res);
		else
			printf("read completed: %d bytes: \"%s\"\n", cqe->res, buf);
		io_uring_cqe_seen(&ring, cqe);
	}
	if (strcmp(buf, msg))
		errx(1, "read \"%s\", wrote \"%s\"", buf, msg);

	io_uring_queue_exit(&ring);
	if (close(fd))
		err(1, "close");
	return 0;
}
