// SPDX-License-Identifier: GPL-2.0
/*
 * sigio: signal-driven I/O (fasync) on a mydemo device, the modern way.
 *
 *   sigio [DEVICE]           (default /dev/mydemo0)
 *
 * The textbook sets O_ASYNC and catches SIGIO with signal(): the handler then
 * learns nothing about which file or which event. Instead:
 *
 *   F_SETSIG       asks for a real-time signal (SIGRTMIN) with a siginfo: a
 *                  queued signal per event, none merged away;
 *   SA_SIGINFO     hands the handler that siginfo: si_fd is the file,
 *                  si_code POLL_IN or POLL_OUT, si_band the poll bits;
 *   F_SETOWN_EX    with F_OWNER_TID sends it to this thread, not any
 *                  thread of the process.
 *
 * One file is open for reading and one for writing, each subscribed. As
 * with a pipe, the reader hears POLL_IN for every write that adds data
 * (also when it left earlier data unread), the writer POLL_OUT for every
 * read that takes data.
 * Give it a device nobody else is using.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Filled by the handler. The signal stays blocked except inside sigsuspend()
 * and the final sigprocmask(), so the handler runs only inside those calls,
 * never while main() reads these; and as the compiler cannot see what the
 * calls do, it reads these afresh after them (no volatile needed).
 */
static struct {
	int code;
	long band;
	int fd;
} seen[16];
static sig_atomic_t nseen;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	if (nseen < (int)ARRAY_SIZE(seen)) {
		seen[nseen].code = si->si_code;
		seen[nseen].band = si->si_band;
		seen[nseen].fd = si->si_fd;
	}
	nseen++;
}

static void subscribe(int fd, int sig)
{
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = gettid() };
	int flags;

	if (fcntl(fd, F_SETSIG, sig))
		err(1, "F_SETSIG");
	if (fcntl(fd, F_SETOWN_EX, &owner))
		err(1, "F_SETOWN_EX");
	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		err(1, "F_GETFL");
	if (fcntl(fd, F_SETFL, flags | O_ASYNC))
		err(1, "F_SETFL O_ASYNC");
}

/*
 * si_band holds poll bits, chosen by the kernel from si_code (fs/fcntl.c):
 * POLL_OUT, for one, always comes with POLLWRBAND too.
 */
static const char *band_names(long band, char *buf, size_t len)
{
	static const struct {
		long bit;
		const char *name;
	} bits[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" },
		{ POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLRDNORM, "POLLRDNORM" },
		{ POLLRDBAND, "POLLRDBAND" }, { POLLWRNORM, "POLLWRNORM" },
		{ POLLWRBAND, "POLLWRBAND" }, { POLLMSG, "POLLMSG" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if ((band & bits[i].bit) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", bits[i].name);
	return buf;
}

/* Sleep until @n signals have arrived in all, then print the new ones. */
static void wait_signals(int n, const sigset_t *unblocked, int rfd, int *shown)
{
	char names[128];

	while (nseen < n)
		sigsuspend(unblocked);	/* returns after the handler ran */
	for (; *shown < nseen; (*shown)++) {
		int i = *shown;

		printf("signal: si_code %s, si_band 0x%lx (%s), si_fd %d (%s)\n",
		       seen[i].code == POLL_IN ? "POLL_IN" :
		       seen[i].code == POLL_OUT ? "POLL_OUT" : "other",
		       seen[i].band,
		       band_names(seen[i].band, names, sizeof(names)),
		       seen[i].fd, seen[i].fd == rfd ? "the reader" : "the writer");
	}
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	int sig = SIGRTMIN, rfd, wfd, shown = 0;
	sigset_t block, unblocked;
	struct sigaction sa;
	char buf[4096];
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		err(1, "sigaction");

	/* Block it: it is delivered only where we wait for it. */
	sigemptyset(&block);
	sigaddset(&block, sig);
	if (sigprocmask(SIG_BLOCK, &block, &unblocked))
		err(1, "sigprocmask");
	sigdelset(&unblocked, sig);

	rfd = open(dev, O_RDONLY | O_NONBLOCK);
	if (rfd < 0)
		err(1, "open %s", dev);
	wfd = open(dev, O_WRONLY | O_NONBLOCK);
	if (wfd < 0)
		err(1, "open %s", dev);
	subscribe(rfd, sig);
	subscribe(wfd, sig);
	printf("reader fd %d, writer fd %d, signal SIGRTMIN (%d)\n", rfd, wfd, sig);

	/* 1. Data arrives: POLL_IN for the reader. */
	if (write(wfd, "ping", 4) != 4)
		err(1, "write");
	wait_signals(1, &unblocked, rfd, &shown);

	/* 2. More data while "ping" is still unread: POLL_IN again. */
	if (write(wfd, "pong", 4) != 4)
		err(1, "write");
	wait_signals(2, &unblocked, rfd, &shown);

	/* 3. A read takes data: POLL_OUT for the writer. */
	n = read(rfd, buf, sizeof(buf));
	if (n != 8)
		err(1, "read");
	printf("read %zd bytes\n", n);
	wait_signals(3, &unblocked, rfd, &shown);

	/* Let any signal we did not expect in: it would show in the count. */
	if (sigprocmask(SIG_SETMASK, &unblocked, NULL))
		err(1, "sigprocmask");
	if (close(rfd) || close(wfd))
		err(1, "close");
	printf("%d signals\n", (int)nseen);
	return nseen == 3 ? 0 : 1;
}
