// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the hardening stress of `make stress` and of the `stress`
 * step of `make check`, run as root in the testbed guest.
 *
 *   mydemo-stress [--short] [--duration SECONDS] [integrity] [removal] [signals]
 *
 * integrity  writers and readers on several devices at once (blocking,
 *            O_NONBLOCK with poll, readv/writev, io_uring, splice through a
 *            pipe both ways, sendfile from a memfd), checksummed records with a
 *            writer id and a sequence number, while other processes flush,
 *            resize, reset the counters, read sysfs and debugfs, subscribe
 *            to SIGIO, run the interrupt source and remove and re-add a
 *            device under load. Every record must arrive whole, once, and
 *            in each writer's order; the bytes a flush discarded account for
 *            exactly the records that never arrived.
 * removal    open/read/write/poll/fasync racing new_device/del_device, then
 *            rmmod/insmod cycles racing opens.
 * signals    blocked readers and writers hit by signals in a loop, with and
 *            without SA_RESTART: EINTR only without it, a partial count only
 *            after a signal, no byte lost or duplicated.
 *
 * Each verified property prints "ok - NAME" or "not ok - NAME" ("#" lines
 * say why); the figures follow, and the exit status is 1 if anything failed.
 * The kernel's detectors (KASAN, KCSAN, lockdep, kmemleak, hung tasks) judge
 * the rest from the console log, in tools/vm-run.
 *
 * Minors 130..159 only: the kselftests use others. Synchronisation is on
 * events (counters in shared memory, the driver's own gauges); the only
 * timed waits are the phase durations and guards against a hang.
 */
#include "stress.h"

int main(int argc, char **argv)
{
	int i, failed = 0, phases = 0;
	double t0 = now();

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--short")) {
			short_mode = 1;
		} else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
			duration = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "integrity")) {
			phases |= 1;
		} else if (!strcmp(argv[i], "removal")) {
			phases |= 2;
		} else if (!strcmp(argv[i], "signals")) {
			phases |= 4;
		} else {
			fprintf(stderr, "usage: %s [--short] [--duration S] [PHASE...]\n",
				argv[0]);
			return 2;
		}
	}
	if (!phases)
		phases = 7;
	if (short_mode && duration > 40)
		duration = 40;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	for (i = 0; i < MAX_WRITERS; i++)
		sh->w[i].minor = -1;

	if (phases & 1) {
		printf("# integrity: %u s\n", duration);
		phase_integrity();
	}
	if (phases & 2) {
		printf("# removal: up to %u s\n", removal_secs());
		phase_removal();
	}
	if (phases & 4) {
		printf("# signals: %u s\n", duration / 3 > 10 ? duration / 3 : 10);
		phase_signals();
	}

	for (i = 0; i < P_NR; i++) {
		if (!sh->ran[i])
			continue;
		printf("%sok - %s\n", sh->bad[i] ? "not " : "", prop_name[i]);
		failed |= sh->bad[i];
	}
	/* One line, "figures: name=value ...", for tools/stress/run. */
	printf("figures: processes=%d operations=%llu bytes=%llu records=%llu splice_records=%llu",
	       sh->processes, (unsigned long long)sh->ops,
	       (unsigned long long)sh->bytes, (unsigned long long)sh->records,
	       (unsigned long long)sh->splice_recs);
	printf(" removal_cycles=%llu removals_under_load=%llu module_reloads=%llu resets=%llu",
	       (unsigned long long)sh->cycles,
	       (unsigned long long)sh->load_cycles,
	       (unsigned long long)sh->reloads, (unsigned long long)sh->resets);
	printf(" signals_sent=%llu signals_received=%llu sigio=%llu seconds=%.0f\n",
	       (unsigned long long)sh->sig_sent,
	       (unsigned long long)sh->sig_got, (unsigned long long)sh->sigio,
	       now() - t0);
	return failed ? 1 : 0;
}
