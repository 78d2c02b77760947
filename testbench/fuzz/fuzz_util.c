/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_util.c - shared helpers of the fuzz targets (fuzz_util.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

void fuzz_heap_keep(void)
{
#ifdef __GLIBC__
	static int done;

	if (!done) {
		done = 1;
		(void)mallopt(M_MMAP_THRESHOLD, 8 << 20);
		(void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
	}
#endif
}

void fuzz_die(const char *who, const char *why)
{
	fprintf(stderr, "%s: %s\n", who, why);
	fflush(stderr);
	abort();
}

void fuzz_expect_file_line(const char *who, const char *file, const char *err,
			   bool line_optional)
{
	size_t n = strlen(file);
	const char *c;
	char why[600];

	for (c = err; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') ||
		    (unsigned char)*c >= 0x7F) {
			snprintf(why, sizeof(why),
				 "error message has byte 0x%02x (not one line "
				 "of printable text): %.400s",
				 (unsigned char)*c, err);
			fuzz_die(who, why);
		}
	if (strncmp(err, file, n) || err[n] != ':')
		goto bad;
	c = err + n + 1;
	if (isdigit((unsigned char)*c) && *c != '0') {
		while (isdigit((unsigned char)*c))
			c++;
		if (*c != ':')
			goto bad;
		c++;
	} else if (!line_optional) {
		goto bad;
	}
	if (strncmp(c, " error: ", 8) || !c[8])
		goto bad;
	return;
bad:
	snprintf(why, sizeof(why),
		 "refused without a '%s:LINE: error: reason' message: '%.400s'",
		 file, err);
	fuzz_die(who, why);
}

static char fuzz_dir[64];

static void fuzz_cleanup(void)
{
	char cmd[128];

	/* only our own mkdtemp directory */
	if (fuzz_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n",
				fuzz_dir);
	}
}

const char *fuzz_scratch_path(const char *name)
{
	static char path[8][128];
	static unsigned next;
	char *p = path[next++ % 8];

	if (!fuzz_dir[0]) {
		const char *t = getenv("TMPDIR");

		/* memory-backed by default: a file per input on a disk is
		 * ~5 ms, on tmpfs ~50 us */
		if (!t || !*t || strlen(t) >= 32)
			t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/cmdqv-fuzz-XXXXXX", t);
		if (!mkdtemp(fuzz_dir))
			fuzz_die("fuzz", "cannot make a scratch directory");
		atexit(fuzz_cleanup);
	}
	snprintf(p, 128, "%s/%s", fuzz_dir, name);
	return p;
}

const char *fuzz_scratch(const char *name, const uint8_t *data, size_t len,
			 bool gzip)
{
	const char *path = fuzz_scratch_path(name);

	if (gzip) {
		gzFile g = gzopen(path, "wb1");

		if (!g ||
		    (len && gzwrite(g, data, (unsigned)len) != (int)len) ||
		    gzclose(g) != Z_OK)
			fuzz_die("fuzz", "cannot write a scratch .gz file");
	} else {
		FILE *f = fopen(path, "wb");

		if (!f || (len && fwrite(data, 1, len, f) != len) ||
		    fclose(f) != 0)
			fuzz_die("fuzz", "cannot write a scratch file");
	}
	return path;
}
