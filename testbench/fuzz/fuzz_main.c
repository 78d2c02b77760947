/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_main.c - replay driver for builds without libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file named on the command line (a corpus
 * file or a crash reproducer).  A target that finds a violation aborts, so
 * a clean exit means every input held; it prints how many ran and how fast.
 * FUZZ_REPEAT=N in the environment runs each input N times (a speed
 * measurement: docs/performance.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	double t0 = fuzz_now(), dt;
	const char *rep = getenv("FUZZ_REPEAT");
	long repeat = rep ? strtol(rep, NULL, 10) : 1, runs = 0;
	int i;

	if (repeat < 1)
		repeat = 1;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long n;

		if (!f) {
			fprintf(stderr, "%s: error: cannot open\n", argv[i]);
			return 2;
		}
		if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) != 0) {
			fprintf(stderr, "%s: error: cannot size\n", argv[i]);
			fclose(f);
			return 2;
		}
		buf = malloc(n > 0 ? (size_t)n : 1);
		if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "%s: error: cannot read\n", argv[i]);
			free(buf);
			fclose(f);
			return 2;
		}
		fclose(f);
		for (long k = 0; k < repeat; k++, runs++)
			LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
	}
	dt = fuzz_now() - t0;
	printf("%ld input(s) replayed, every property held (%.0f inputs/s)\n",
	       runs, dt > 0 ? (double)runs / dt : 0.0);
	return 0;
}
