/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_main.c - replay driver for compilers without libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file named on the command line (a corpus
 * or a crash reproducer) and reports how many ran.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i;

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
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
	}
	printf("%d input(s) replayed without an isolation violation\n",
	       argc - 1);
	return 0;
}
