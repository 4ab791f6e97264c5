// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-workload: the demonstration load of `make run`.
 *
 * On each of two devices, a writer process sends numbered, checksummed
 * records and a reader process checks them; meanwhile an epoll waiter
 * (edge-triggered, not reading) counts the "data arrived" edges of the
 * first device and a SIGIO subscriber counts the signals of the second
 * (sigaction SA_SIGINFO, F_SETSIG, checking si_band and si_fd). Exits 0 only
 * if every record arrived intact and in order and both observers saw events.
 *
 *   mydemo-workload [-n RECORDS] [DEV0 [DEV1]]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

struct rec {
	uint32_t seq;
	uint32_t sum;
	char text[24];
};

static uint32_t rec_sum(const struct rec *r)
{
	uint32_t h = 2166136261u ^ r->seq;
	size_t i;

	for (i = 0; i < sizeof(r->text); i++)
		h = (h ^ (unsigned char)r->text[i]) * 16777619u;
	return h;
}

static int writer(const char *dev, unsigned int n)
{
	int fd = open(dev, O_WRONLY);
	unsigned int i;
	struct rec r;

	if (fd < 0)
		return perror(dev), 1;
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.seq = i;
		snprintf(r.text, sizeof(r.text), "record %u", i);
		r.sum = rec_sum(&r);
		/* 32 bytes: at most atomic_size, so never split. */
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			return perror("write"), 1;
	}
	close(fd);
	return 0;
}

static int reader(const char *dev, unsigned int n)
{
	int fd = open(dev, O_RDONLY);
	unsigned int expect = 0;
	struct rec r[16];
	ssize_t got, i;

	if (fd < 0)
		return perror(dev), 1;
	while (expect < n) {
		got = read(fd, r, sizeof(r));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || got % sizeof(r[0]))
			return fprintf(stderr, "%s: bad read %zd\n", dev, got), 1;
		for (i = 0; i < got / (ssize_t)sizeof(r[0]); i++, expect++) {
			if (r[i].seq != expect || r[i].sum != rec_sum(&r[i])) {
				fprintf(stderr, "%s: record %u bad\n", dev, expect);
				return 1;
			}
		}
	}
	printf("%-8s %s: %u records in order, checksums good\n", "read", dev, n);
	close(fd);
	return 0;
}

static int ready_fd;

/* Tell the parent that this observer is subscribed. */
static void ready(void)
{
	if (write(ready_fd, "", 1) != 1)
		perror("ready");
}

/* Counts edge-triggered EPOLLIN events until the parent closes @stop. */
static int epoll_waiter(const char *dev, int stop)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out[2];
	int fd = open(dev, O_RDONLY | O_NONBLOCK), ep = epoll_create1(0);
	unsigned long edges = 0;
	int n, i;

	if (fd < 0 || ep < 0)
		return perror("epoll waiter"), 1;
	ev.data.fd = fd;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	ev.events = EPOLLIN;
	ev.data.fd = stop;
	epoll_ctl(ep, EPOLL_CTL_ADD, stop, &ev);
	ready();
	for (;;) {
		n = epoll_wait(ep, out, 2, -1);
		for (i = 0; i < n; i++) {
			if (out[i].data.fd == stop) {
				printf("epoll    %s: %lu data-arrived edges\n", dev, edges);
				return edges ? 0 : 1;
			}
			edges++;
		}
	}
}

/* Updated by the signal handler: atomics, not volatile. */
static int sigio_in, sigio_bad;
static int sigio_fd;

static void on_sigio(int sig, siginfo_t *si, void *uc)
{
	if (si->si_fd == sigio_fd && (si->si_band & POLLIN))
		__atomic_fetch_add(&sigio_in, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&sigio_bad, 1, __ATOMIC_RELAXED);
}

/* Counts SIGIO (as SIGRTMIN, F_SETSIG) with si_band POLLIN. */
static int sigio_subscriber(const char *dev, int stop)
{
	struct sigaction sa = { .sa_sigaction = on_sigio, .sa_flags = SA_SIGINFO };
	struct pollfd p = { .fd = stop, .events = POLLIN };
	int in, bad;

	sigio_fd = open(dev, O_RDONLY | O_NONBLOCK);
	if (sigio_fd < 0)
		return perror(dev), 1;
	sigaction(SIGRTMIN, &sa, NULL);
	if (fcntl(sigio_fd, F_SETOWN, getpid()) ||
	    fcntl(sigio_fd, F_SETSIG, SIGRTMIN) ||
	    fcntl(sigio_fd, F_SETFL, fcntl(sigio_fd, F_GETFL) | O_ASYNC))
		return perror("fcntl"), 1;
	ready();
	while (poll(&p, 1, -1) != 1)
		;
	in = __atomic_load_n(&sigio_in, __ATOMIC_RELAXED);
	bad = __atomic_load_n(&sigio_bad, __ATOMIC_RELAXED);
	printf("sigio    %s: %d signals with si_band POLLIN, %d unexpected\n",
	       dev, in, bad);
	return in && !bad ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *dev[2] = { "/dev/mydemo0", "/dev/mydemo1" };
	unsigned int n = 20000;
	pid_t pid[6], p;
	int stop[2], rdy[2], opt, i, k = 0, status, rc = 0;
	char c;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			return fprintf(stderr, "usage: %s [-n RECORDS] [DEV0 [DEV1]]\n",
				       argv[0]), 2;
		n = strtoul(optarg, NULL, 0);
	}
	for (i = 0; i < 2 && optind < argc; i++)
		dev[i] = argv[optind++];
	if (pipe(stop) || pipe(rdy))
		return perror("pipe"), 1;
	ready_fd = rdy[1];

	/* Observers first, so that they see the first records arrive. */
	for (i = 0; i < 2; i++) {
		p = fork();
		if (p == 0) {
			close(stop[1]);
			_exit(i ? sigio_subscriber(dev[1], stop[0]) :
				  epoll_waiter(dev[0], stop[0]));
		}
		pid[k++] = p;
	}
	close(stop[0]);
	for (i = 0; i < 2; i++)
		if (read(rdy[0], &c, 1) != 1)
			return perror("observer"), 1;
	for (i = 0; i < 4; i++) {
		p = fork();
		if (p == 0)
			_exit(i < 2 ? reader(dev[i], n) : writer(dev[i - 2], n));
		pid[k++] = p;
	}
	for (i = 2; i < k; i++) {
		waitpid(pid[i], &status, 0);
		rc |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	close(stop[1]);
	for (i = 0; i < 2; i++) {
		waitpid(pid[i], &status, 0);
		rc |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	printf("workload: %u records x 2 devices: %s\n", n, rc ? "FAILED" : "ok");
	return rc;
}
