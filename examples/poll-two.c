// SPDX-License-Identifier: GPL-2.0
/*
 * poll-two: one process waits on two mydemo devices at once with poll().
 *
 *   poll-two [DEVICE0 [DEVICE1]]     (default /dev/mydemo0 /dev/mydemo1)
 *
 * Two child processes each write three messages to their own device. The
 * parent sleeps in poll() until either device has data, reads from the one
 * that is ready, and goes back to poll() until it has every byte. It never
 * sleeps in read(): the files are O_NONBLOCK, and poll() said there is data.
 * Give it devices nobody else is using.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGES	3
#define MSG_LEN		16

static int writer(const char *dev, const char *tag)
{
	char msg[MSG_LEN];
	int fd, i;

	fd = open(dev, O_WRONLY);
	if (fd < 0)
		err(1, "open %s", dev);
	for (i = 0; i < MESSAGES; i++) {
		/* Pad to MSG_LEN: the parent counts bytes. */
		memset(msg, '.', sizeof(msg));
		memcpy(msg, tag, strlen(tag));
		msg[sizeof(msg) - 2] = '0' + i;
		msg[sizeof(msg) - 1] = '\n';
		if (write(fd, msg, sizeof(msg)) != sizeof(msg))
			err(1, "write %s", dev);
	}
	return close(fd) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *dev[2] = {
		argc > 1 ? argv[1] : "/dev/mydemo0",
		argc > 2 ? argv[2] : "/dev/mydemo1",
	};
	const size_t want = MESSAGES * MSG_LEN;
	size_t got[2] = { 0, 0 };
	struct pollfd pfd[2];
	int i, ready, status;
	pid_t child[2];
	char buf[256];
	ssize_t n;

	for (i = 0; i < 2; i++) {
		pfd[i].fd = open(dev[i], O_RDONLY | O_NONBLOCK);
		if (pfd[i].fd < 0)
			err(1, "open %s", dev[i]);
		pfd[i].events = POLLIN;
	}

	/* Nothing written yet: a poll with a zero timeout finds nothing. */
	ready = poll(pfd, 2, 0);
	if (ready < 0)
		err(1, "poll");
	if (ready)
		errx(1, "data before anyone wrote: use free devices");
	printf("before the writers start: nothing to read\n");
	fflush(stdout);

	for (i = 0; i < 2; i++) {
		child[i] = fork();
		if (child[i] < 0)
			err(1, "fork");
		if (child[i] == 0)
			exit(writer(dev[i], i ? "second" : "first"));
	}

	while (got[0] < want || got[1] < want) {
		/* Sleep until a device has data: no timeout needed. */
		ready = poll(pfd, 2, -1);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			err(1, "poll");
		for (i = 0; i < 2; i++) {
			/* The device was removed while we waited. */
			if (pfd[i].revents & (POLLHUP | POLLERR))
				errx(1, "%s: device gone", dev[i]);
			if (!(pfd[i].revents & POLLIN))
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0)
				err(1, "read %s", dev[i]);
			got[i] += n;
			printf("%s readable: %zd bytes\n", dev[i], n);
		}
	}

	for (i = 0; i < 2; i++) {
		if (waitpid(child[i], &status, 0) != child[i])
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			errx(1, "writer %d failed", i);
		printf("%s: %zu bytes in total\n", dev[i], got[i]);
		if (close(pfd[i].fd))
			err(1, "close");
	}
	return 0;
}
