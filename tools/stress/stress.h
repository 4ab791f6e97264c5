/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo-stress: what its phases share: the verified properties, the
 * shared memory, the record format and the helpers (common.c).
 */
#ifndef MYDEMO_STRESS_H
#define MYDEMO_STRESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <liburing.h>
#include <linux/mydemo.h>
/* The kselftests' helpers (sysfs files, waits): one copy of them. */
#include "mydemo_util.h"

#define SYSFS		"/sys/class/mydemo"
#define DEBUGFS		"/sys/kernel/debug/mydemo"
#define MODULE_PATH	"/lib/modules/mydemo.ko"
#define ATOMIC		4096
#define REC_MAGIC	0x6d796465u
/* Records each writer can have checked off; a writer stops there. */
#define SEEN_BITS	2097152u
#define MAX_WRITERS	24
#define MAX_READERS	24
#define MAX_MINORS	30
#define MINOR_BASE	130
#define MAX_PIDS	128
#define IOBUF		16384
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The verified properties, each an ok/not ok line. */
enum prop {
	P_WHOLE,	/* records whole and uncorrupted */
	P_ORDER,	/* per-writer order seen by each reader */
	P_EXACT,	/* nothing lost, nothing duplicated */
	P_FLUSH,	/* lost records == bytes flushed */
	P_STATS,	/* bytes_written == read + flushed + level */
	P_IRQ,		/* interrupt source: order, gaps <= overruns */
	P_SIGIO,	/* SIGIO subscribers signalled */
	P_REMOVE_LOAD,	/* removal under load: whole, ordered, errors expected */
	P_ERRNO,	/* integrity: no unexpected error */
	P_REMOVAL,	/* removal races: only the expected errors */
	P_MODULE,	/* rmmod refused while open, reload cycles */
	P_SIG_SEM,	/* EINTR and restart semantics */
	P_SIG_DATA,	/* no byte lost or duplicated under signals */
	P_SIG_HIT,	/* the signals did interrupt sleepers */
	P_NR,
};

extern const char *const prop_name[P_NR];

struct writer_state {
	uint64_t written;	/* records written, all of them acknowledged */
	int minor;
};

struct minor_state {
	uint64_t recs;		/* records read and checked */
	uint64_t bytes;		/* bytes read */
	uint64_t eintr_r, eintr_w, partial_w;
	int restart;		/* signals phase: SA_RESTART handlers */
};

/* Everything the processes share, in one MAP_SHARED mapping. */
struct shared {
	int stop;
	int bad[P_NR];
	int ran[P_NR];
	uint64_t ops, bytes, records, cycles, reloads, resets;
	uint64_t splice_recs;	/* records that went through splice/sendfile */
	uint64_t load_cycles;	/* integrity: removals under load */
	uint64_t sig_sent, sig_got, sigio;
	uint64_t irq_gaps, irq_first;
	int processes;
	struct writer_state w[MAX_WRITERS];
	struct minor_state m[MAX_MINORS];
	uint8_t seen[MAX_WRITERS][SEEN_BITS / 8];
};

extern struct shared *sh;
extern int short_mode;
extern unsigned int duration;
extern pid_t pids[MAX_PIDS];
extern const char *pid_name[MAX_PIDS];
extern long pid_arg[MAX_PIDS];
extern int npids;
extern uint64_t rnd_state;
/* Signals this process caught (SIGIO, SIGUSR1); changed by the handler. */
extern int sig_count;

#define spawn(fn, arg)	spawn_named(fn, arg, #fn)

/*
 * Records: a header with the writer, the sequence number and a checksum over
 * everything else, then a payload derived from both, so that a record
 * assembled from two writers' bytes, or from a stale buffer, fails the sum.
 */
struct rec {
	uint32_t magic;
	uint16_t writer;
	uint16_t len;
	uint64_t seq;
	uint32_t sum;
	uint32_t pad;
};

void add(uint64_t *v, uint64_t n);
long long attr(int minor, const char *name);
void bad(enum prop p, const char *fmt, ...);
int class_op(const char *op, int minor);
void count_sig(int sig);
void die(const char *what);
void fresh_device(int minor);
double now(void);
int open_dev(int minor, int flags);
void path_of(char *buf, size_t len, int minor, const char *attr);
void reap(pid_t pid, int expect_sig, enum prop p);
int rec_check(const unsigned char *buf, unsigned int len);
void rec_make(unsigned char *buf, unsigned int len, int writer, uint64_t seq);
uint64_t rnd(void);
uint64_t seen_count(int writer, uint64_t limit, uint64_t *beyond);
int seen_set(int writer, uint64_t seq);
int sigs_caught(void);
int stopping(void);
int wait_until(int (*cond)(long), long arg, int secs);
uint64_t writers_total(int minor, int *first, int *n);
pid_t spawn_named(void (*fn)(long), long arg, const char *name);
void phase_integrity(void);
void phase_removal(void);
void phase_signals(void);
unsigned int removal_secs(void);

#endif /* MYDEMO_STRESS_H */
