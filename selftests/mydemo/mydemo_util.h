/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mydemo kselftests: device paths, sysfs counters,
 * and waiting for an event the driver counts (never for a length of time).
 */
#ifndef _MYDEMO_UTIL_H
#define _MYDEMO_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MYDEMO_SYSFS	"/sys/class/mydemo"

static inline void mydemo_dev_path(char *buf, size_t len, int minor)
{
	snprintf(buf, len, "/dev/mydemo%d", minor);
}

/* Empty a device's fifo, so that a test starts from a known state. */
static inline void mydemo_drain(int minor)
{
	char path[64], buf[4096];
	int fd;

	mydemo_dev_path(path, sizeof(path), minor);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

/* Read a whole small file into @buf, NUL-terminated: its length or -errno. */
static inline ssize_t mydemo_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/* Read a decimal value from a sysfs file; -1 when it cannot be read. */
static inline long long mydemo_read_ll(const char *path)
{
	char buf[64];

	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

/* /sys/class/mydemo/mydemo<minor>/<attr>, e.g. "statistics/reads_blocked". */
static inline long long mydemo_attr(int minor, const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/%s", minor, attr);
	return mydemo_read_ll(path);
}

/*
 * Write @val to a sysfs or debugfs file, as `echo -n` would: 0, or -errno
 * of the open() or of the write() (the error the driver's store returned).
 */
static inline int mydemo_write_str(const char *path, const char *val)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Write @minor to /sys/class/mydemo/@file (new_device, del_device). */
static inline int mydemo_class_write(const char *file, int minor)
{
	char path[128], v[16];

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/%s", file);
	snprintf(v, sizeof(v), "%d", minor);
	return mydemo_write_str(path, v);
}

/*
 * A device of the test's own: @minor removed if it is there, created anew
 * (counters at zero, fifo empty, default size) and opened with @flags.
 * Return: the file descriptor, or -1 when creating or opening failed.
 */
static inline int mydemo_fresh_open(int minor, int flags)
{
	char path[64];

	mydemo_class_write("del_device", minor);
	if (mydemo_class_write("new_device", minor))
		return -1;
	mydemo_dev_path(path, sizeof(path), minor);
	return open(path, flags);
}

/* Undo mydemo_fresh_open(); @fd may be -1. */
static inline void mydemo_fresh_close(int fd, int minor)
{
	if (fd >= 0)
		close(fd);
	mydemo_class_write("del_device", minor);
}

static inline long long mydemo_param(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/mydemo/parameters/%s", name);
	return mydemo_read_ll(path);
}

/*
 * Call @cond(@arg) until it returns non-zero, and return that: 1 when the
 * event came, -1 when it never will (say, the child exited). Yields for the
 * first thousand calls, then sleeps a millisecond between them; after two
 * minutes without the event, -1: a guard against a hung test, not a timing
 * assumption.
 */
static inline int mydemo_wait_until(int (*cond)(void *arg), void *arg)
{
	struct timespec start, now;
	long i;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0;; i++) {
		r = cond(arg);
		if (r)
			return r;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 120)
			return -1;
		if (i > 1000)
			usleep(1000);
		else
			sched_yield();
	}
}

struct mydemo_value_wait {
	int minor;
	const char *attr;
	long long target;
	int exact;
};

static inline int mydemo_value_reached(void *arg)
{
	struct mydemo_value_wait *w = arg;
	long long v = mydemo_attr(w->minor, w->attr);

	return (w->exact ? v == w->target : v >= w->target) ? 1 : 0;
}

/*
 * Wait until a driver counter or gauge reaches @target (>= @target, or
 * exactly @target with @exact): the driver bumps the "*_blocked" counters
 * and waiting_readers/_writers just before a task goes to sleep, so this is
 * how a test knows that its child really blocked in the driver. 0 once it
 * did, -1 after two minutes without it.
 */
static inline int mydemo_wait_value(int minor, const char *attr,
				    long long target, int exact)
{
	struct mydemo_value_wait w = { minor, attr, target, exact };

	return mydemo_wait_until(mydemo_value_reached, &w) == 1 ? 0 : -1;
}

static inline int mydemo_wait_attr(int minor, const char *attr,
				   long long target)
{
	return mydemo_wait_value(minor, attr, target, 0);
}

/*
 * Fork a child that sleeps in read(@fd) for one byte (exit status 0 when it
 * got it) and return once device @minor counts it in waiting_readers.
 * Return: the child's pid, or -1 (no child, or it never slept there).
 */
static inline pid_t mydemo_fork_reader(int fd, int minor)
{
	pid_t pid = fork();
	char c;

	if (!pid)
		_exit(read(fd, &c, 1) == 1 ? 0 : 1);
	if (pid < 0 || mydemo_wait_value(minor, "waiting_readers", 1, 1))
		return -1;
	return pid;
}

/*
 * The state letter of /proc/PID/stat ('S', 'R', 'Z', ...), 0 when the task
 * is gone or the line cannot be parsed. The letter follows the last ')':
 * the command name in parentheses may itself hold spaces and parentheses.
 */
static inline char mydemo_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : 0;
}

/* write()/read() the whole buffer, looping over short transfers. */
static inline ssize_t mydemo_xfer(int fd, void *buf, size_t len, int do_write)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if (do_write)
			n = write(fd, (char *)buf + done, len - done);
		else
			n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += n;
	}
	return done;
}

#endif /* _MYDEMO_UTIL_H */
