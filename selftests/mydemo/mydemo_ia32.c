// SPDX-License-Identifier: GPL-2.0
/*
 * The launcher of the 32-bit tests: installed as <test>_32 (mydemo_io_test_32,
 * ...), it runs <test>_32.i386 from the same directory, the test built with
 * -m32 -static (the guest has no 32-bit libc), so that every read, write and
 * ioctl goes through the kernel's compat path (IA32 emulation,
 * .compat_ioctl). Its output and exit status are the test's.
 *
 * A kernel without IA32 emulation (CONFIG_IA32_EMULATION off, or booted with
 * ia32_emulation=false) refuses the 32-bit program with ENOEXEC: the test is
 * then reported as skipped, with the reason. Only execve() itself can tell
 * reliably: a shell (and execvp()) would run the ELF file as a shell script
 * on ENOEXEC.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"

int main(int argc, char **argv)
{
	char self[PATH_MAX], prog[PATH_MAX + 8];
	const char *name;
	ssize_t n;
	int err;

	(void)argc;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		ksft_exit_fail_perror("readlink /proc/self/exe");
	self[n] = '\0';
	snprintf(prog, sizeof(prog), "%s.i386", self);
	name = strrchr(self, '/') ? strrchr(self, '/') + 1 : self;

	execv(prog, argv);
	err = errno;
	ksft_print_header();
	ksft_set_plan(1);
	if (err == ENOEXEC) {
		ksft_test_result_skip("%s: no IA32 emulation in this kernel: execve: %s\n",
				      name, strerror(err));
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	ksft_test_result_fail("%s: execve %s: %s\n", name, prog, strerror(err));
	ksft_print_cnts();
	exit(KSFT_FAIL);
}
