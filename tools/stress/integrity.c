// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the integrity phase (see main.c).
 */
#include "stress.h"

/*
 * The integrity devices. Records have one size per device, and readers ask
 * for whole multiples of it: every write is atomic (at most atomic_size) and
 * every read takes min(asked, level), both multiples, so a reader only ever
 * gets whole records, however many readers share the device.
 */
enum dev_kind { K_RECORDS, K_STREAM, K_FLUSH, K_IRQ, K_REMOVE };

struct dev_spec {
	int minor;
	enum dev_kind kind;
	unsigned int rec;	/* record size */
	int writers, readers;
};

static const struct dev_spec idevs[] = {
	{ 130, K_RECORDS, 64, 3, 3 },
	{ 131, K_RECORDS, 256, 3, 2 },
	{ 132, K_RECORDS, 1024, 2, 2 },
	/* One writer, one reader, writes up to 3 x atomic_size, split. */
	{ 133, K_STREAM, 100, 1, 1 },
	{ 134, K_FLUSH, 128, 2, 2 },
	{ 135, K_IRQ, sizeof(struct mydemo_irq_record), 0, 1 },
	{ 136, K_REMOVE, 64, 1, 1 },
};

#define NIDEVS	((int)ARRAY_SIZE(idevs))

struct worker {
	const struct dev_spec *d;
	int id;			/* writer id, or reader index */
	int first_writer;	/* readers: the device's writer ids */
};

static struct worker workers[MAX_WRITERS + MAX_READERS];
static int nworkers;

static int wait_io(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int n;

	/* A guard against a lost wake-up, not a timing assumption. */
	n = poll(&p, 1, 60000);
	if (n == 0)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -ENODEV;
	return 0;
}

/*
 * One read or write through io_uring (this process's ring, made on first
 * use), waited for; the result as read(2) and write(2) give it. On an empty
 * or full fifo the driver's IOCB_NOWAIT attempt fails and io_uring arms a
 * poll, which the driver's wake-up completes.
 */
static struct io_uring ring;
static int ring_ready;

static ssize_t uring_rw(int fd, void *buf, size_t len, int is_write)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	if (!ring_ready) {
		ret = io_uring_queue_init(4, &ring, 0);
		if (ret < 0) {
			errno = -ret;
			return -1;
		}
		ring_ready = 1;
	}
	sqe = io_uring_get_sqe(&ring);
	if (is_write)
		io_uring_prep_write(sqe, fd, buf, len, -1);
	else
		io_uring_prep_read(sqe, fd, buf, len, -1);
	ret = io_uring_submit(&ring);
	if (ret != 1) {
		errno = ret < 0 ? -ret : EIO;
		return -1;
	}
	do {
		ret = io_uring_wait_cqe(&ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	ret = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/*
 * (Re)open @minor until it exists again, or for a writer (@until_stop)
 * until the phase stops. A reader keeps trying: the remover always leaves
 * the device in place, and a writer may still be blocked on it, waiting for
 * this reader.
 */
static int reopen(int minor, int flags, int until_stop)
{
	int fd;

	for (;;) {
		fd = open_dev(minor, flags);
		if (fd >= 0 || (until_stop && stopping()))
			return fd;
		if (errno != ENOENT && errno != ENXIO && errno != ENODEV)
			bad(P_REMOVE_LOAD, "open mydemo%d: %s", minor,
			    strerror(errno));
		sched_yield();
	}
}

/*
 * A write of @len bytes of @buf (at most ATOMIC: one pipe buffer, one atomic
 * write) through a pipe spliced into @fd, or (@use_sendfile) from a memfd
 * with sendfile(). As write(2): the count or -1 with errno. Bytes the
 * device did not take are dropped from the pipe, so the next call starts
 * empty; the caller writes the same records again.
 */
static ssize_t splice_write(int fd, const void *buf, size_t len, int use_sendfile)
{
	static int p[2] = { -1, -1 }, mfd = -1;
	static char junk[ATOMIC];
	off_t off = 0;
	ssize_t n;
	int e;

	if (use_sendfile) {
		if (mfd < 0)
			mfd = memfd_create("mydemo-stress", 0);
		if (mfd < 0 || pwrite(mfd, buf, len, 0) != (ssize_t)len)
			die("memfd");
		return sendfile(fd, mfd, &off, len);
	}
	if (p[0] < 0 && pipe(p))
		die("pipe");
	if (write(p[1], buf, len) != (ssize_t)len)
		die("write to the pipe");
	n = splice(p[0], NULL, fd, NULL, len, 0);
	if (n != (ssize_t)len) {
		e = errno;
		/* O_NONBLOCK: only empty the pipe, never wait on it. */
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (read(p[0], junk, sizeof(junk)) > 0)
			;
		fcntl(p[0], F_SETFL, 0);
		errno = e;
	}
	return n;
}

/* A read of up to @len bytes through a pipe that @fd is spliced into. */
static ssize_t splice_read(int fd, void *buf, size_t len)
{
	static int p[2] = { -1, -1 };
	ssize_t n, got = 0, m;

	if (p[0] < 0 && pipe(p))
		die("pipe");
	n = splice(fd, NULL, p[1], NULL, len, 0);
	if (n <= 0)
		return n;
	/* Every byte the device gave is in the pipe: take them all. */
	while (got < n) {
		m = read(p[0], (char *)buf + got, n - got);
		if (m <= 0)
			die("read from the pipe");
		got += m;
	}
	return n;
}

static void writer_proc(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	unsigned int L = d->rec, maxk = ATOMIC / L, k, i;
	static unsigned char buf[ATOMIC];
	struct iovec iov[16];
	int bfd, nbfd, mode, err;
	uint64_t seq = 0;
	ssize_t n;

	if (maxk > 16)
		maxk = 16;
	bfd = open_dev(d->minor, O_WRONLY);
	nbfd = open_dev(d->minor, O_WRONLY | O_NONBLOCK);
	if (bfd < 0 || nbfd < 0)
		die("writer open");
	while (!stopping() && seq + maxk < SEEN_BITS) {
		k = 1 + rnd() % maxk;
		for (i = 0; i < k; i++) {
			rec_make(buf + i * L, L, wk->id, seq + i);
			iov[i].iov_base = buf + i * L;
			iov[i].iov_len = L;
		}
		mode = rnd() % 6;
		if (mode == 0) {
			n = write(bfd, buf, k * L);
		} else if (mode == 1) {
			err = wait_io(nbfd, POLLOUT);
			n = err ? -1 : write(nbfd, buf, k * L);
			if (err)
				errno = -err;
		} else if (mode == 2) {
			n = writev(bfd, iov, k);
		} else if (mode == 3) {
			n = uring_rw(bfd, buf, k * L, 1);
		} else {
			n = splice_write(bfd, buf, k * L, mode == 5);
		}
		add(&sh->ops, 1);
		if (n == (ssize_t)(k * L)) {
			if (mode >= 4)
				add(&sh->splice_recs, k);
			seq += k;
			__atomic_store_n(&sh->w[wk->id].written, seq,
					 __ATOMIC_RELEASE);
			add(&sh->bytes, n);
			continue;
		}
		if (n >= 0) {
			/* An atomic write came back split. */
			bad(P_WHOLE, "mydemo%d: write of %u bytes returned %zd",
			    d->minor, k * L, n);
			break;
		}
		if (errno == EAGAIN || errno == EINTR)
			continue;
		if (d->kind == K_REMOVE && errno == ENODEV) {
			close(bfd);
			close(nbfd);
			bfd = reopen(d->minor, O_WRONLY, 1);
			nbfd = reopen(d->minor, O_WRONLY | O_NONBLOCK, 1);
			if (bfd < 0 || nbfd < 0)
				break;
			continue;
		}
		bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ERRNO,
		    "mydemo%d: write: %s", d->minor, strerror(errno));
		break;
	}
	close(bfd);
	close(nbfd);
}

/* Check @n bytes of whole records as reader of @d; per-writer @last seq. */
static void check_records(const struct dev_spec *d, const unsigned char *buf,
			  ssize_t n, int64_t *last)
{
	enum prop order = d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ORDER;
	unsigned int L = d->rec;
	struct rec r;
	size_t off;

	for (off = 0; off + L <= (size_t)n; off += L) {
		if (rec_check(buf + off, L)) {
			memcpy(&r, buf + off, sizeof(r));
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_WHOLE,
			    "mydemo%d: bad record (magic %#x writer %u len %u seq %llu)",
			    d->minor, r.magic, r.writer, r.len,
			    (unsigned long long)r.seq);
			continue;
		}
		memcpy(&r, buf + off, sizeof(r));
		if ((int64_t)r.seq <= last[r.writer])
			bad(order, "mydemo%d: writer %u: seq %llu after %lld",
			    d->minor, r.writer, (unsigned long long)r.seq,
			    (long long)last[r.writer]);
		last[r.writer] = r.seq;
		if (d->kind != K_REMOVE && seen_set(r.writer, r.seq))
			bad(P_EXACT, "mydemo%d: writer %u seq %llu read twice",
			    d->minor, r.writer, (unsigned long long)r.seq);
		add(&sh->m[d->minor - MINOR_BASE].recs, 1);
		add(&sh->records, 1);
	}
}

static void reader_proc(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	unsigned int L = d->rec, maxk = IOBUF / L, k, i;
	static unsigned char buf[IOBUF];
	int64_t last[MAX_WRITERS];
	struct iovec iov[16];
	int bfd, nbfd, mode, err;
	ssize_t n;

	for (i = 0; i < MAX_WRITERS; i++)
		last[i] = -1;
	bfd = open_dev(d->minor, O_RDONLY);
	nbfd = open_dev(d->minor, O_RDONLY | O_NONBLOCK);
	if (bfd < 0 || nbfd < 0)
		die("reader open");
	/* Until killed: the main process knows when all was read. */
	for (;;) {
		k = 1 + rnd() % maxk;
		mode = rnd() % 5;
		if (mode == 4) {
			n = splice_read(bfd, buf, k * L);
			if (n > 0)
				add(&sh->splice_recs, n / L);
		} else if (mode == 3) {
			n = uring_rw(bfd, buf, k * L, 0);
		} else if (mode == 0) {
			n = read(bfd, buf, k * L);
		} else if (mode == 1) {
			err = wait_io(nbfd, POLLIN);
			n = err ? -1 : read(nbfd, buf, k * L);
			if (err)
				errno = -err;
		} else {
			if (k > 16)
				k = 16;
			for (i = 0; i < k; i++) {
				iov[i].iov_base = buf + i * L;
				iov[i].iov_len = L;
			}
			n = readv(bfd, iov, k);
		}
		add(&sh->ops, 1);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ETIMEDOUT)
				continue;
			if (d->kind == K_REMOVE && errno == ENODEV) {
				close(bfd);
				close(nbfd);
				bfd = reopen(d->minor, O_RDONLY, 0);
				nbfd = reopen(d->minor, O_RDONLY | O_NONBLOCK, 0);
				continue;
			}
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ERRNO,
			    "mydemo%d: read: %s", d->minor, strerror(errno));
			pause();
		}
		if (n == 0 || n % L) {
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_WHOLE,
			    "mydemo%d: read returned %zd, not whole %u-byte records",
			    d->minor, n, L);
			pause();
		}
		add(&sh->bytes, n);
		add(&sh->m[d->minor - MINOR_BASE].bytes, n);
		check_records(d, buf, n, last);
	}
}

/*
 * The stream device: one writer writes a stream of records in slices of any
 * size (up to three times the atomic size: split by the driver as it likes),
 * one reader reads any sizes and reassembles. Exact: seq 0, 1, 2, ...
 */
static void stream_writer(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	static unsigned char buf[4 * ATOMIC + 200];
	unsigned int L = d->rec, len, off, want, i;
	uint64_t seq = 0, total = 0;
	int fd, nbfd, nb;
	ssize_t n;

	fd = open_dev(d->minor, O_WRONLY);
	nbfd = open_dev(d->minor, O_WRONLY | O_NONBLOCK);
	if (fd < 0 || nbfd < 0)
		die("stream writer open");
	while (!stopping() && seq + 200 < SEEN_BITS) {
		len = (1 + rnd() % (sizeof(buf) / L)) * L;
		for (i = 0; i < len / L; i++)
			rec_make(buf + i * L, L, wk->id, seq + i);
		for (off = 0; off < len; ) {
			want = 1 + rnd() % (len - off);
			nb = rnd() % 2;
			if (nb && wait_io(nbfd, POLLOUT))
				bad(P_ERRNO, "mydemo%d: poll for writing",
				    d->minor);
			n = write(nb ? nbfd : fd, buf + off, want);
			add(&sh->ops, 1);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0 || (!nb && n != want)) {
				/* A blocking write returns when all is in. */
				bad(P_ERRNO, "mydemo%d: write of %u: %zd (%s)",
				    d->minor, want, n, strerror(errno));
				return;
			}
			off += n;
			total += n;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[wk->id].written, total / L,
					 __ATOMIC_RELEASE);
		}
		seq += len / L;
	}
}

static void stream_reader(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	static unsigned char buf[IOBUF + 200];
	unsigned int L = d->rec, have = 0, want, off;
	uint64_t expect = 0;
	struct rec r;
	int fd, nbfd, nb;
	ssize_t n;

	fd = open_dev(d->minor, O_RDONLY);
	nbfd = open_dev(d->minor, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || nbfd < 0)
		die("stream reader open");
	for (;;) {
		want = 1 + rnd() % (IOBUF - L);
		nb = rnd() % 2;
		if (nb && wait_io(nbfd, POLLIN))
			continue;
		n = read(nb ? nbfd : fd, buf + have, want);
		add(&sh->ops, 1);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			bad(P_ERRNO, "mydemo%d: read: %zd (%s)", d->minor, n,
			    strerror(errno));
			pause();
		}
		have += n;
		add(&sh->bytes, n);
		add(&sh->m[d->minor - MINOR_BASE].bytes, n);
		for (off = 0; off + L <= have; off += L) {
			memcpy(&r, buf + off, sizeof(r));
			if (rec_check(buf + off, L)) {
				bad(P_WHOLE, "mydemo%d: stream record %llu corrupt",
				    d->minor, (unsigned long long)expect);
				pause();
			}
			if (r.seq != expect)
				bad(P_ORDER, "mydemo%d: stream seq %llu, expected %llu",
				    d->minor, (unsigned long long)r.seq,
				    (unsigned long long)expect);
			if (seen_set(r.writer, r.seq))
				bad(P_EXACT, "mydemo%d: stream seq %llu twice",
				    d->minor, (unsigned long long)r.seq);
			expect = r.seq + 1;
			add(&sh->m[d->minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

/* The interrupt source's records: seq strictly increasing, gaps counted. */
static void irq_reader(long idx)
{
	const struct worker *wk = &workers[idx];
	struct mydemo_irq_record recs[64];
	int64_t last = -1;
	ssize_t n, i;
	int fd;

	fd = open_dev(wk->d->minor, O_RDONLY);
	if (fd < 0)
		die("irq reader open");
	for (;;) {
		n = read(fd, recs, (1 + rnd() % 64) * sizeof(recs[0]));
		add(&sh->ops, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || n % sizeof(recs[0])) {
			bad(P_IRQ, "mydemo%d: read %zd (%s)", wk->d->minor, n,
			    strerror(errno));
			pause();
		}
		add(&sh->bytes, n);
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++) {
			if ((int64_t)recs[i].seq <= last)
				bad(P_IRQ, "seq %llu after %lld",
				    (unsigned long long)recs[i].seq,
				    (long long)last);
			else if (last < 0)
				sh->irq_first = recs[i].seq;
			else
				add(&sh->irq_gaps, recs[i].seq - last - 1);
			last = recs[i].seq;
			add(&sh->m[wk->d->minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
	}
}

static int64_t stat_field(int minor, int field)
{
	char path[128], buf[512], *p = buf;
	int i;

	path_of(path, sizeof(path), minor, "stat");
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (i = 0; i < field; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return strtoll(p, NULL, 10);
}

/* The "stat" fields (Documentation/ABI/testing/sysfs-class-mydemo). */
enum { S_READ = 0, S_WRITTEN = 1, S_FLUSHED = 14, S_LEVEL = 17 };

/* bytes_written == bytes_read + bytes_flushed + fifo_level, in one line. */
static void check_stat_line(int minor)
{
	unsigned long long v[22];
	char path[128], buf[512], *p, *end;
	int n;

	path_of(path, sizeof(path), minor, "stat");
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0) {
		bad(P_ERRNO, "read %s: %s", path, strerror(errno));
		return;
	}
	for (n = 0, p = buf; n < 18; n++) {
		v[n] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	if (n != 18) {
		bad(P_STATS, "%s: \"%s\"", path, buf);
		return;
	}
	if (v[S_WRITTEN] != v[S_READ] + v[S_FLUSHED] + v[S_LEVEL])
		bad(P_STATS, "mydemo%d: written %llu != read %llu + flushed %llu + level %llu",
		    minor, v[S_WRITTEN], v[S_READ], v[S_FLUSHED], v[S_LEVEL]);
}

/*
 * Flush and resize the flush device while its writers and readers run,
 * checking the stat invariant after each. Paced by the readers: the next
 * action waits until they read more, so they are not starved of data.
 */
static void chaos_proc(long minor)
{
	static const unsigned int sizes[] = { 4096, 8192, 16384, 65536 };
	char path[128], val[16];
	uint64_t mark = 0, r;
	unsigned int size;
	int fd, ret;

	fd = open_dev(minor, O_WRONLY);
	if (fd < 0)
		die("chaos open");
	path_of(path, sizeof(path), minor, "fifo_size");
	while (!stopping()) {
		r = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs,
				    __ATOMIC_RELAXED);
		if (r < mark + 20) {
			usleep(1000);
			continue;
		}
		mark = r;
		size = sizes[rnd() % 4];
		switch (rnd() % 3) {
		case 0:
			ret = ioctl(fd, MYDEMO_IOC_FLUSH) ? -errno : 0;
			break;
		case 1:
			ret = ioctl(fd, MYDEMO_IOC_SET_SIZE, &size) ? -errno : 0;
			break;
		default:
			snprintf(val, sizeof(val), "%u", size);
			ret = mydemo_write_str(path, val);
			break;
		}
		add(&sh->ops, 1);
		/* EBUSY: the contents did not fit the smaller size. */
		if (ret && ret != -EBUSY)
			bad(P_ERRNO, "mydemo%ld: flush/resize: %s", minor,
			    strerror(-ret));
		check_stat_line(minor);
	}
	close(fd);
}

/* Counters reset, every sysfs and debugfs file read, on every device. */
static void observer_proc(long unused)
{
	static const char *const files[] = {
		"stat", "fifo_size", "fifo_level", "atomic_size",
		"high_watermark", "readers", "writers", "fasync_subscribers",
		"waiting_readers", "waiting_writers", "irq_rate",
		"statistics/bytes_read", "statistics/bytes_written",
		"statistics/reads_blocked", "statistics/writes_blocked",
		"statistics/sigio_sent", "statistics/overruns",
		"statistics/bytes_flushed", "statistics/reads_interrupted",
	};
	static const char *const dfiles[] = {
		"state", "wait_latency", "contents",
	};
	char path[160], buf[8192];
	struct mydemo_stats st;
	unsigned int i;
	int j, fd, minor;
	ssize_t n;

	while (!stopping()) {
		for (j = 0; j < NIDEVS; j++) {
			minor = idevs[j].minor;
			for (i = 0; i < ARRAY_SIZE(files); i++) {
				path_of(path, sizeof(path), minor, files[i]);
				n = mydemo_read_file(path, buf, sizeof(buf));
				add(&sh->ops, 1);
				/* Only the device removed on purpose may be gone. */
				if (n <= 0 && !(idevs[j].kind == K_REMOVE &&
						(n == -ENOENT || n == -ENODEV)))
					bad(P_ERRNO, "read %s: %zd", path, n);
			}
			for (i = 0; i < 3; i++) {
				snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/%s",
					 minor, dfiles[i]);
				n = mydemo_read_file(path, buf, sizeof(buf));
				add(&sh->ops, 1);
				if (n < 0 && !(idevs[j].kind == K_REMOVE &&
					       (n == -ENOENT || n == -EIO)))
					bad(P_ERRNO, "read %s: %zd", path, n);
			}
			if (idevs[j].kind != K_RECORDS)
				continue;
			/* Resets only where no test reads the counters. */
			fd = open_dev(minor, O_WRONLY);
			if (fd < 0 || ioctl(fd, MYDEMO_IOC_GET_STATS, &st) ||
			    ioctl(fd, MYDEMO_IOC_RESET_STATS))
				bad(P_ERRNO, "mydemo%d: stats ioctls: %s", minor,
				    strerror(errno));
			else
				add(&sh->resets, 1);
			if (fd >= 0)
				close(fd);
		}
	}
}

/* SIGIO subscriber: subscribes and unsubscribes while signals come. */
static void sigio_proc(long minor)
{
	struct sigaction sa = { .sa_handler = count_sig };
	int fd, fl, i;

	sigaction(SIGIO, &sa, NULL);
	fd = open_dev(minor, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || fcntl(fd, F_SETOWN, getpid()))
		die("sigio open");
	fl = fcntl(fd, F_GETFL);
	for (i = 0; !stopping(); i++) {
		if (fcntl(fd, F_SETFL, (i & 1) ? fl : fl | O_ASYNC))
			bad(P_ERRNO, "F_SETFL O_ASYNC: %s", strerror(errno));
		add(&sh->ops, 1);
		/* Stay subscribed until a signal came (or a 10 ms guard). */
		if (!(i & 1))
			poll(NULL, 0, 10);
	}
	add(&sh->sigio, sigs_caught());
	close(fd);
}

/*
 * Delete and re-add the device while its writer and reader run; each cycle
 * waits for a record read on the current incarnation, so every incarnation
 * sees I/O.
 */
static void remover_proc(long minor)
{
	uint64_t mark = 0, r;
	int ret;

	while (!stopping()) {
		r = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs,
				    __ATOMIC_RELAXED);
		if (r <= mark) {
			sched_yield();
			continue;
		}
		mark = r;
		ret = class_op("del", minor);
		if (!ret)
			ret = class_op("new", minor);
		if (ret)
			bad(P_REMOVE_LOAD, "mydemo%ld: del/new: %s", minor,
			    strerror(-ret));
		else
			add(&sh->load_cycles, 1);
	}
}

uint64_t writers_total(int minor, int *first, int *n)
{
	uint64_t t = 0;
	int i;

	*n = 0;
	*first = -1;
	for (i = 0; i < MAX_WRITERS; i++) {
		if (sh->w[i].minor != minor)
			continue;
		if (*first < 0)
			*first = i;
		(*n)++;
		t += __atomic_load_n(&sh->w[i].written, __ATOMIC_ACQUIRE);
	}
	return t;
}

static int all_read(long minor)
{
	const struct dev_spec *d = &idevs[minor - MINOR_BASE];
	uint64_t got, flushed = 0;
	int first, n;

	got = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs, __ATOMIC_RELAXED);
	if (d->kind == K_FLUSH)
		flushed = stat_field(minor, S_FLUSHED) / d->rec;
	return got + flushed >= writers_total(minor, &first, &n);
}

/* The interrupt source is off: every record it stored has been checked. */
static int irq_all_read(long minor)
{
	return __atomic_load_n(&sh->m[minor - MINOR_BASE].recs, __ATOMIC_RELAXED) >=
	       (uint64_t)attr(minor, "statistics/irq_records");
}

void phase_integrity(void)
{
	pid_t readers[MAX_READERS], others[16];
	int nr = 0, no = 0, nw = 0, i, j, w, first, n;
	pid_t writers[MAX_WRITERS];
	unsigned int rate = short_mode ? 500 : 1000, zero = 0;
	uint64_t total, got, beyond, flushed, lost, irq_recs, overruns;
	const struct dev_spec *d;
	int irqfd;

	for (i = 0; i < NIDEVS; i++)
		fresh_device(idevs[i].minor);

	/* Writer ids first, so readers know every writer of their device. */
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		for (j = 0; j < d->writers; j++) {
			sh->w[nw].minor = d->minor;
			workers[nworkers] = (struct worker){ d, nw++, 0 };
			if (d->kind == K_STREAM)
				writers[nworkers] = spawn(stream_writer, nworkers);
			else
				writers[nworkers] = spawn(writer_proc, nworkers);
			nworkers++;
		}
	}
	nw = nworkers;
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		for (j = 0; j < d->readers; j++) {
			workers[nworkers] = (struct worker){ d, j, 0 };
			if (d->kind == K_STREAM)
				readers[nr++] = spawn(stream_reader, nworkers);
			else if (d->kind == K_IRQ)
				readers[nr++] = spawn(irq_reader, nworkers);
			else
				readers[nr++] = spawn(reader_proc, nworkers);
			nworkers++;
		}
	}
	irqfd = open_dev(135, O_RDONLY);
	if (irqfd < 0 || ioctl(irqfd, MYDEMO_IOC_SET_IRQ_RATE, &rate))
		die("irq rate");
	others[no++] = spawn(chaos_proc, 134);
	others[no++] = spawn(observer_proc, 0);
	others[no++] = spawn(sigio_proc, 130);
	others[no++] = spawn(sigio_proc, 135);
	others[no++] = spawn(remover_proc, 136);

	sleep(duration);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	/* Blocked writers are freed by the readers, who go on. */
	for (i = 0; i < nw; i++)
		reap(writers[i], 0, P_ERRNO);
	for (i = 0; i < no; i++)
		reap(others[i], 0, P_ERRNO);
	/* Synchronous: when it returns, every record is in or counted. */
	if (ioctl(irqfd, MYDEMO_IOC_SET_IRQ_RATE, &zero))
		die("irq rate 0");
	close(irqfd);
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		if (d->kind == K_REMOVE)
			continue;
		if (d->kind == K_IRQ ? wait_until(irq_all_read, d->minor, 120) :
		    wait_until(all_read, d->minor, 120))
			bad(P_EXACT, "mydemo%d: readers did not get everything in 120 s",
			    d->minor);
	}
	for (i = 0; i < nr; i++)
		kill(readers[i], SIGKILL);
	for (i = 0; i < nr; i++)
		reap(readers[i], SIGKILL, P_ERRNO);

	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		if (d->kind == K_REMOVE || d->kind == K_IRQ)
			continue;
		total = writers_total(d->minor, &first, &n);
		got = 0;
		for (w = first; w < first + n; w++) {
			got += seen_count(w, sh->w[w].written, &beyond);
			if (beyond)
				bad(P_EXACT, "mydemo%d: writer %d: %llu unwritten records read",
				    d->minor, w, (unsigned long long)beyond);
		}
		if (!total)
			bad(P_EXACT, "mydemo%d: nothing written", d->minor);
		lost = total - got;
		if (d->kind == K_FLUSH) {
			flushed = stat_field(d->minor, S_FLUSHED);
			if (flushed % d->rec || lost != flushed / d->rec)
				bad(P_FLUSH, "mydemo%d: %llu not read, %llu bytes flushed (%u)",
				    d->minor, (unsigned long long)lost,
				    (unsigned long long)flushed, d->rec);
			if (!flushed)
				bad(P_FLUSH, "mydemo%d: nothing was flushed",
				    d->minor);
			printf("# mydemo%d: %llu records written, %llu read, %llu flushed\n",
			       d->minor, (unsigned long long)total,
			       (unsigned long long)got,
			       (unsigned long long)(flushed / d->rec));
			check_stat_line(d->minor);
		} else {
			if (lost)
				bad(P_EXACT, "mydemo%d: %llu of %llu records lost",
				    d->minor, (unsigned long long)lost,
				    (unsigned long long)total);
			printf("# mydemo%d: %llu records written, %llu read\n",
			       d->minor, (unsigned long long)total,
			       (unsigned long long)got);
		}
	}

	irq_recs = sh->m[135 - MINOR_BASE].recs;
	overruns = attr(135, "statistics/overruns");
	if (irq_recs == 0 || irq_recs != (uint64_t)attr(135, "statistics/irq_records") ||
	    sh->irq_first + sh->irq_gaps > overruns)
		bad(P_IRQ, "read %llu, irq_records %lld, first %llu, gaps %llu, overruns %llu",
		    (unsigned long long)irq_recs, attr(135, "statistics/irq_records"),
		    (unsigned long long)sh->irq_first,
		    (unsigned long long)sh->irq_gaps,
		    (unsigned long long)overruns);
	printf("# mydemo135: %llu interrupt records read, %llu overruns\n",
	       (unsigned long long)irq_recs, (unsigned long long)overruns);
	if (!sh->sigio)
		bad(P_SIGIO, "no SIGIO received");
	if (!sh->load_cycles || !sh->m[136 - MINOR_BASE].recs)
		bad(P_REMOVE_LOAD, "%llu removal cycles, %llu records read",
		    (unsigned long long)sh->load_cycles,
		    (unsigned long long)sh->m[136 - MINOR_BASE].recs);
	printf("# mydemo136: %llu removal cycles under load, %llu records read\n",
	       (unsigned long long)sh->load_cycles,
	       (unsigned long long)sh->m[136 - MINOR_BASE].recs);
	for (i = 0; i < NIDEVS; i++)
		class_op("del", idevs[i].minor);
	for (i = 0; i <= P_ERRNO; i++)
		sh->ran[i] = 1;
}
