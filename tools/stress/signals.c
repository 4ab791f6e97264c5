// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the signals phase (see main.c).
 */
#include "stress.h"

/* ------------------------------------------------------------------ */
/* Signals. */

#define SIG_FIRST	140

/* The stream's byte at offset @p: a lost or repeated byte shows. */
static unsigned char stream_byte(uint64_t p)
{
	uint32_t h = (uint32_t)(p >> 2) * 2654435761u;

	h ^= h >> 15;
	return (unsigned char)(h >> (8 * (p & 3)));
}

/*
 * The signals phase's handler: counted for this process's checks and, so
 * that readers killed at the end are counted too, at once in the figures.
 */
static void count_usr1(int sig)
{
	__atomic_fetch_add(&sig_count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->sig_got, 1, __ATOMIC_RELAXED);
}

static void sig_handler_install(int restart)
{
	struct sigaction sa = { .sa_handler = count_usr1 };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A write of @len from a blocking file: all of it, or after a signal, a
 * partial count or (nothing written, no SA_RESTART) EINTR. The rules of
 * pipe(7).
 */
static void sig_check_write(int minor, ssize_t n, size_t len,
			    int before, int restart)
{
	struct minor_state *ms = &sh->m[minor - MINOR_BASE];
	int signalled = sigs_caught() != before;

	if (n == (ssize_t)len)
		return;
	if (n >= 0) {
		add(&ms->partial_w, 1);
		if (!signalled)
			bad(P_SIG_SEM, "mydemo%d: write of %zu returned %zd without a signal",
			    minor, len, n);
		return;
	}
	if (errno != EINTR)
		bad(P_SIG_SEM, "mydemo%d: write: %s", minor, strerror(errno));
	add(&ms->eintr_w, 1);
	if (restart || !signalled)
		bad(P_SIG_SEM, "mydemo%d: write failed with EINTR (%s)", minor,
		    restart ? "SA_RESTART" : "no signal");
}

static int sig_check_read(int minor, ssize_t n, int before,
			  int restart)
{
	struct minor_state *ms = &sh->m[minor - MINOR_BASE];

	if (n > 0)
		return 0;
	if (n == 0 || errno != EINTR) {
		bad(P_SIG_SEM, "mydemo%d: read: %zd (%s)", minor, n,
		    strerror(errno));
		pause();
	}
	add(&ms->eintr_r, 1);
	if (restart || sigs_caught() == before)
		bad(P_SIG_SEM, "mydemo%d: read failed with EINTR (%s)", minor,
		    restart ? "SA_RESTART" : "no signal");
	return -1;
}

/* Open @minor for a signal phase's task, with its handler installed. */
static int sig_open(int minor, int flags)
{
	int fd;

	sig_handler_install(sh->m[minor - MINOR_BASE].restart);
	fd = open_dev(minor, flags);
	if (fd < 0)
		die(flags == O_RDONLY ? "signal reader open" : "signal writer open");
	return fd;
}

/* Stream devices (140, 141): one writer, one reader, any sizes. */
static void sig_stream_writer(long minor)
{
	static unsigned char buf[4 * ATOMIC];
	int restart = sh->m[minor - MINOR_BASE].restart, fd;
	uint64_t off = 0;
	int before;
	size_t len, i;
	ssize_t n;

	fd = sig_open(minor, O_WRONLY);
	while (!stopping()) {
		len = 1 + rnd() % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = stream_byte(off + i);
		before = sigs_caught();
		n = write(fd, buf, len);
		add(&sh->ops, 1);
		sig_check_write(minor, n, len, before, restart);
		if (n > 0) {
			off += n;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[minor - SIG_FIRST].written, off,
					 __ATOMIC_RELEASE);
		}
	}
}

static void sig_stream_reader(long minor)
{
	static unsigned char buf[4 * ATOMIC];
	int restart = sh->m[minor - MINOR_BASE].restart, fd, reported = 0;
	uint64_t off = 0;
	int before;
	ssize_t n, i;

	fd = sig_open(minor, O_RDONLY);
	for (;;) {
		before = sigs_caught();
		n = read(fd, buf, 1 + rnd() % sizeof(buf));
		add(&sh->ops, 1);
		if (sig_check_read(minor, n, before, restart))
			continue;
		for (i = 0; i < n && !reported; i++) {
			if (buf[i] != stream_byte(off + i)) {
				bad(P_SIG_DATA, "mydemo%d: byte %llu is wrong",
				    (int)minor, (unsigned long long)(off + i));
				reported = 1;
			}
		}
		off += n;
		add(&sh->bytes, n);
		__atomic_store_n(&sh->m[minor - MINOR_BASE].bytes, off,
				 __ATOMIC_RELEASE);
	}
}

/* Record devices (142, 143): two writers, two readers, atomic records. */
#define SIG_REC		256

static void sig_rec_writer(long id)
{
	static unsigned char buf[ATOMIC];
	int minor = sh->w[id].minor, fd, restart;
	int before;
	unsigned int k, i;
	uint64_t seq = 0;
	ssize_t n;

	restart = sh->m[minor - MINOR_BASE].restart;
	fd = sig_open(minor, O_WRONLY);
	while (!stopping() && seq + 16 < SEEN_BITS) {
		k = 1 + rnd() % (ATOMIC / SIG_REC);
		for (i = 0; i < k; i++)
			rec_make(buf + i * SIG_REC, SIG_REC, id, seq + i);
		before = sigs_caught();
		n = write(fd, buf, k * SIG_REC);
		add(&sh->ops, 1);
		if (n > 0 && n != (ssize_t)(k * SIG_REC)) {
			bad(P_SIG_DATA, "mydemo%d: atomic write of %u returned %zd",
			    minor, k * SIG_REC, n);
			break;
		}
		sig_check_write(minor, n, k * SIG_REC, before, restart);
		if (n > 0) {
			seq += k;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[id].written, seq,
					 __ATOMIC_RELEASE);
		}
	}
}

static void sig_rec_reader(long minor)
{
	static unsigned char buf[ATOMIC * 2];
	int restart = sh->m[minor - MINOR_BASE].restart, fd;
	int64_t last[MAX_WRITERS];
	int before;
	struct rec r;
	ssize_t n, off;

	for (n = 0; n < MAX_WRITERS; n++)
		last[n] = -1;
	fd = sig_open(minor, O_RDONLY);
	for (;;) {
		before = sigs_caught();
		n = read(fd, buf, (1 + rnd() % (sizeof(buf) / SIG_REC)) * SIG_REC);
		add(&sh->ops, 1);
		if (sig_check_read(minor, n, before, restart))
			continue;
		if (n % SIG_REC)
			bad(P_SIG_DATA, "mydemo%ld: read %zd, not whole records",
			    minor, n);
		add(&sh->bytes, n);
		for (off = 0; off + SIG_REC <= n; off += SIG_REC) {
			memcpy(&r, buf + off, sizeof(r));
			if (rec_check(buf + off, SIG_REC)) {
				bad(P_SIG_DATA, "mydemo%ld: bad record", minor);
				continue;
			}
			if ((int64_t)r.seq <= last[r.writer] ||
			    seen_set(r.writer, r.seq))
				bad(P_SIG_DATA, "mydemo%ld: writer %u seq %llu: reordered or twice",
				    minor, r.writer, (unsigned long long)r.seq);
			last[r.writer] = r.seq;
			add(&sh->m[minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
	}
}

/*
 * Signals to whoever sleeps in the device: the driver's waiting_readers and
 * waiting_writers say who (an event, not a guess); between sleeps a signal
 * now and then lands on a task running or waiting for a mutex.
 */
static pid_t sig_targets[4][4];

static void signaller(long minor)
{
	pid_t *t = sig_targets[minor - SIG_FIRST];
	int nt = minor < SIG_FIRST + 2 ? 1 : 2, i;
	long long wr, ww;

	for (i = 0; !stopping(); i++) {
		wr = attr(minor, "waiting_readers");
		ww = attr(minor, "waiting_writers");
		if (wr > 0 || !(i % 4)) {
			kill(t[rnd() % nt], SIGUSR1);
			add(&sh->sig_sent, 1);
		}
		if (ww > 0 || !(i % 4)) {
			kill(t[2 + rnd() % nt], SIGUSR1);
			add(&sh->sig_sent, 1);
		}
		usleep(500);
	}
}

static int sig_drained(long minor)
{
	int i = minor - SIG_FIRST, first, n;

	if (i < 2)
		return sh->m[minor - MINOR_BASE].bytes >= sh->w[i].written;
	return sh->m[minor - MINOR_BASE].recs >= writers_total(minor, &first, &n);
}

static int readers_asleep(long minor)
{
	return attr(minor, "waiting_readers") == (minor < SIG_FIRST + 2 ? 1 : 2);
}

void phase_signals(void)
{
	pid_t writers[8], readers[8], sigs[4];
	int i, j, nw = 0, nr = 0, minor, first, n, w;
	uint64_t total, got, beyond;
	struct sigaction sa = { .sa_handler = count_sig };
	long long ri, wi, ri_at[4], wi_at[4];
	struct minor_state *ms;
	char path[128];

	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	memset(sh->seen, 0, sizeof(sh->seen));
	memset(sh->w, 0, sizeof(sh->w));
	for (i = 0; i < MAX_WRITERS; i++)
		sh->w[i].minor = -1;
	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		fresh_device(minor);
		/* A small fifo: readers and writers block all the time. */
		path_of(path, sizeof(path), minor, "fifo_size");
		if (mydemo_write_str(path, "4096"))
			die("fifo_size 4096");
		sh->m[minor - MINOR_BASE].restart = i % 2;
	}
	/*
	 * The children inherit a handler, so that a signal before their own
	 * sigaction() does not kill them.
	 */
	sigaction(SIGUSR1, &sa, NULL);
	/* Stream ids 0, 1 (= minor - 140); record writers 2..5. */
	for (i = 0; i < 2; i++) {
		sh->w[i].minor = SIG_FIRST + i;
		readers[nr] = spawn(sig_stream_reader, SIG_FIRST + i);
		sig_targets[i][0] = readers[nr++];
		writers[nw] = spawn(sig_stream_writer, SIG_FIRST + i);
		sig_targets[i][2] = writers[nw++];
	}
	for (i = 2; i < 4; i++) {
		for (j = 0; j < 2; j++) {
			w = 2 + (i - 2) * 2 + j;
			sh->w[w].minor = SIG_FIRST + i;
			readers[nr] = spawn(sig_rec_reader, SIG_FIRST + i);
			sig_targets[i][j] = readers[nr++];
			writers[nw] = spawn(sig_rec_writer, w);
			sig_targets[i][2 + j] = writers[nw++];
		}
	}
	for (i = 0; i < 4; i++)
		sigs[i] = spawn(signaller, SIG_FIRST + i);

	sleep(duration / 3 > 10 ? duration / 3 : 10);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++)
		reap(sigs[i], 0, P_SIG_SEM);
	for (i = 0; i < nw; i++)
		reap(writers[i], 0, P_SIG_SEM);
	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		if (wait_until(sig_drained, minor, 120))
			bad(P_SIG_DATA, "mydemo%d: not everything read in 120 s",
			    minor);
		/*
		 * Once every reader sleeps in read(), each earlier call has
		 * returned and been counted (a pending signal would keep
		 * it awake): the counters are final before the SIGKILL,
		 * which itself interrupts a sleep.
		 */
		if (wait_until(readers_asleep, minor, 120))
			bad(P_SIG_SEM, "mydemo%d: readers not asleep in 120 s",
			    minor);
		ri_at[i] = attr(minor, "statistics/reads_interrupted");
		wi_at[i] = attr(minor, "statistics/writes_interrupted");
	}
	for (i = 0; i < nr; i++)
		kill(readers[i], SIGKILL);
	for (i = 0; i < nr; i++)
		reap(readers[i], SIGKILL, P_SIG_SEM);

	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		ms = &sh->m[minor - MINOR_BASE];
		ri = ri_at[i];
		wi = wi_at[i];
		if (i < 2) {
			total = sh->w[i].written;
			got = ms->bytes;
			if (total != got || !total)
				bad(P_SIG_DATA, "mydemo%d: %llu bytes written, %llu read",
				    minor, (unsigned long long)total,
				    (unsigned long long)got);
		} else {
			total = writers_total(minor, &first, &n);
			got = 0;
			for (w = first; w < first + n; w++)
				got += seen_count(w, sh->w[w].written, &beyond);
			if (total != got || !total)
				bad(P_SIG_DATA, "mydemo%d: %llu records written, %llu read",
				    minor, (unsigned long long)total,
				    (unsigned long long)got);
		}
		if (ri <= 0 || wi <= 0)
			bad(P_SIG_HIT, "mydemo%d: reads_interrupted %lld, writes_interrupted %lld",
			    minor, ri, wi);
		/*
		 * Without SA_RESTART each interrupted sleep ends its call:
		 * a read with EINTR (it never returns part of a sleep), a
		 * write with EINTR or its partial count.
		 */
		if (!ms->restart && ((long long)ms->eintr_r < ri ||
				     (long long)(ms->eintr_w + ms->partial_w) < wi))
			bad(P_SIG_SEM, "mydemo%d: EINTR %llu for %lld reads, %llu+%llu for %lld",
			    minor, (unsigned long long)ms->eintr_r, ri,
			    (unsigned long long)ms->eintr_w,
			    (unsigned long long)ms->partial_w, wi);
		printf("# mydemo%d (%s): %llu %s, sleeps interrupted: %lld reads, %lld writes;",
		       minor, ms->restart ? "SA_RESTART" : "no SA_RESTART",
		       (unsigned long long)total, i < 2 ? "bytes" : "records",
		       ri, wi);
		printf(" EINTR: %llu reads, %llu writes; %llu partial writes\n",
		       (unsigned long long)ms->eintr_r,
		       (unsigned long long)ms->eintr_w,
		       (unsigned long long)ms->partial_w);
		class_op("del", minor);
	}
	sh->ran[P_SIG_SEM] = 1;
	sh->ran[P_SIG_DATA] = 1;
	sh->ran[P_SIG_HIT] = 1;
}
