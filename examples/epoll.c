// SPDX-License-Identifier: GPL-2.0
/*
 * epoll: wait for a mydemo device with epoll, edge-triggered.
 *
 *   epoll [DEVICE]           (default /dev/mydemo0)
 *
 * A child writes five records; the parent waits in epoll_wait() and reads.
 * With EPOLLET, epoll reports a change (the fifo became readable), not a
 * state: after each event the reader must read until EAGAIN, or data left
 * behind would never be reported again. That is the one rule of
 * edge-triggered epoll, and why the file is O_NONBLOCK.
 * Give it a device nobody else is using.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORDS		5
#define RECORD_LEN	64

static int writer(const char *dev)
{
	char rec[RECORD_LEN];
	int fd, i;

	fd = open(dev, O_WRONLY);
	if (fd < 0)
		err(1, "open %s", dev);
	for (i = 0; i < RECORDS; i++) {
		memset(rec, 'a' + i, sizeof(rec));
		if (write(fd, rec, sizeof(rec)) != sizeof(rec))
			err(1, "write");
	}
	return close(fd) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	struct epoll_event ev = { 0 };
	size_t total = 0, want = RECORDS * RECORD_LEN;
	int fd, ep, nev, events = 0, status;
	char buf[100];
	pid_t child;
	ssize_t n;

	fd = open(dev, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		err(1, "open %s", dev);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		err(1, "epoll_create1");
	ev.events = EPOLLIN | EPOLLET;
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		err(1, "epoll_ctl");

	fflush(stdout);
	child = fork();
	if (child < 0)
		err(1, "fork");
	if (child == 0)
		exit(writer(dev));

	while (total < want) {
		nev = epoll_wait(ep, &ev, 1, -1);
		if (nev < 0 && errno == EINTR)
			continue;
		if (nev < 0)
			err(1, "epoll_wait");
		if (ev.events & (EPOLLHUP | EPOLLERR))
			errx(1, "%s: device gone", dev);
		events++;
		/* Edge-triggered: read until the fifo is empty. */
		for (;;) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno == EAGAIN)
				break;
			if (n < 0)
				err(1, "read");
			total += n;
		}
	}

	if (waitpid(child, &status, 0) != child)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the writer failed");
	/* How many events it took depends on timing; the bytes do not. */
	printf("read %zu bytes after %d epoll event(s)\n", total, events);
	if (close(ep) || close(fd))
		err(1, "close");
	return 0;
}
