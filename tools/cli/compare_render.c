/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_render.c - run the report renderer (see compare_render.h).
 * It runs as a child process; its stderr is read through a pipe and its
 * one "error: ..." line becomes the CLI's message.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CMDQV_REPORT_DIR_DEFAULT
#error "the build defines CMDQV_REPORT_DIR_DEFAULT (tools/CMakeLists.txt)"
#endif

#define CMP_EXEC_FAILED \
	127 /* child status when exec fails (shell convention) */
#define CMP_RENDER_MAX_ARGS 16

static const char *cmp_env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

static const char *cmp_python(void)
{
	return cmp_env_or("CMDQV_PYTHON", "python3");
}

/* The renderer script's path into @buf; -1 with @err if it is not there. */
static int cmp_renderer(char *buf, size_t len, char *err, size_t errlen)
{
	const char *dir =
		cmp_env_or("CMDQV_REPORT_DIR", CMDQV_REPORT_DIR_DEFAULT);
	struct stat st;

	if ((size_t)snprintf(buf, len, "%s/render.py", dir) >= len ||
	    stat(buf, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "error: report renderer %s/render.py not found "
			 "(set CMDQV_REPORT_DIR to the tools/report directory "
			 "of the source tree)",
			 dir);
		return -1;
	}
	return 0;
}

/*
 * Run @argv (argv[0] = program) with stdout to /dev/null and stderr into a
 * pipe; the first line starting with "error: " (else the last non-empty
 * line) of what it printed goes to @line. Returns the exit status,
 * CMP_EXEC_FAILED if it could not be started, -1 if it was killed or
 * fork/pipe failed.
 */
static int cmp_run(char *const argv[], char *line, size_t linelen)
{
	char buf[8192];
	size_t used = 0;
	int fds[2], status;
	pid_t pid;

	line[0] = '\0';
	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(CMP_EXEC_FAILED);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], buf + used, sizeof(buf) - 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof(buf) - 1) /* keep the tail */
			used = 0;
	}
	close(fds[0]);
	buf[used] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	{
		char *e = strstr(buf, "error: ");
		char *s = e, *nl;

		while (e && e != buf && e[-1] != '\n')
			e = strstr(e + 1, "error: ");
		s = e;
		if (!s) { /* the last non-empty line */
			size_t n = strlen(buf);

			while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
				buf[--n] = '\0';
			s = strrchr(buf, '\n');
			s = s ? s + 1 : buf;
		}
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		snprintf(line, linelen, "%s", s);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

/* Run the renderer with @args (NULL-terminated); -1 with @err on failure. */
static int cmp_render_run(const char *const *args, char *err, size_t errlen)
{
	char script[4096], line[1024];
	char *argv[CMP_RENDER_MAX_ARGS];
	int n = 0, rc;

	if (cmp_renderer(script, sizeof(script), err, errlen))
		return -1;
	argv[n++] = (char *)cmp_python();
	argv[n++] = script;
	for (; *args && n < CMP_RENDER_MAX_ARGS - 1; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	rc = cmp_run(argv, line, sizeof(line));
	if (rc == 0)
		return 0;
	if (rc == CMP_EXEC_FAILED)
		snprintf(err, errlen,
			 "error: '%s' not found: the report is rendered by "
			 "a Python 3 script (Debian packages python3 and "
			 "python3-jinja2; tools/install-deps.sh installs them)",
			 cmp_python());
	else if (!strncmp(line, "error: ", 7))
		snprintf(err, errlen, "%s", line);
	else if (line[0])
		snprintf(err, errlen, "error: report renderer failed: %s",
			 line);
	else
		snprintf(err, errlen,
			 "error: report renderer failed (status %d)", rc);
	return -1;
}

int cmp_render_check(char *err, size_t errlen)
{
	static const char *const args[] = { "--check", NULL };

	return cmp_render_run(args, err, errlen);
}

int cmp_render_report(const char *summary, const char *samples,
		      const char *plot_dir, const char *plot_dir_rel,
		      const char *out, char *err, size_t errlen)
{
	const char *const args[] = { "--summary",   summary,	  "--samples",
				     samples,	    "--plots",	  plot_dir,
				     "--plots-rel", plot_dir_rel, "--out",
				     out,	    NULL };

	return cmp_render_run(args, err, errlen);
}
