// SPDX-License-Identifier: GPL-2.0
/*
 * The workload of mydemo_trace_test.sh: a fixed sequence of calls on
 * /dev/mydemoN whose every tracepoint the test then looks for, with its
 * fields, in `trace-cmd report`. Prints "irq_records=N" at the end (the
 * number of mydemo_irq events the report must hold).
 *
 * Usage: mydemo_trace_workload MINOR
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "mydemo_util.h"

static int minor;

static void die(const char *what)
{
	fprintf(stderr, "mydemo_trace_workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_dev(int flags)
{
	char path[64];
	int fd;

	mydemo_dev_path(path, sizeof(path), minor);
	fd = open(path, flags);
	if (fd < 0)
		die("open");
	return fd;
}

int main(int argc, char **argv)
{
	char buf[4096];
	__u32 rate;
	pid_t pid;
	int fd, r, status;

	if (argc != 2)
		return 2;
	minor = atoi(argv[1]);
	memset(buf, 'w', sizeof(buf));

	/* mydemo_open mode=rw, then write 100, read them, read nothing. */
	fd = open_dev(O_RDWR | O_NONBLOCK);
	if (write(fd, buf, 100) != 100)
		die("write 100");
	if (read(fd, buf, sizeof(buf)) != 100)
		die("read 100");
	if (read(fd, buf, 10) != -1 || errno != EAGAIN)
		die("read on empty");

	/* A reader that sleeps (mydemo_wait) until one byte comes (_wake). */
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		r = open_dev(O_RDONLY);
		_exit(read(r, buf, 1) == 1 ? 0 : 1);
	}
	if (mydemo_wait_value(minor, "waiting_readers", 1, 1))
		die("reader never slept");
	if (write(fd, "1", 1) != 1)
		die("write 1");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("reader");

	/* A SIGIO subscriber, one POLL_IN signal, unsubscribed by close. */
	signal(SIGIO, SIG_IGN);
	r = open_dev(O_RDONLY | O_NONBLOCK);
	if (fcntl(r, F_SETOWN, getpid()) ||
	    fcntl(r, F_SETFL, O_NONBLOCK | O_ASYNC))
		die("fasync");
	if (write(fd, buf, 5) != 5)
		die("write 5");
	close(r);
	if (read(fd, buf, sizeof(buf)) != 5)
		die("read 5");

	/* The interrupt source, until it stored 5 records, then off. */
	rate = 200;
	if (ioctl(fd, MYDEMO_IOC_SET_IRQ_RATE, &rate))
		die("irq on");
	if (mydemo_wait_attr(minor, "statistics/irq_records", 5))
		die("no interrupts");
	rate = 0;
	if (ioctl(fd, MYDEMO_IOC_SET_IRQ_RATE, &rate))
		die("irq off");
	printf("irq_records=%lld overruns=%lld\n",
	       mydemo_attr(minor, "statistics/irq_records"),
	       mydemo_attr(minor, "statistics/overruns"));
	close(fd);
	return 0;
}
