/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_main.cpp - cmdqv-vp: run scenario scripts on the SystemC virtual
 * platform, every register access going through the TLM sockets.
 *
 * Same grammar, output and exit status as `cmdqv-sim run` (cli_run.c):
 * "PASS FILE" / "FAIL FILE:LINE: reason" on stdout, malformed scripts as
 * "FILE:LINE: error: ..." on stderr; exit 0 all passed, 1 a script failed,
 * 2 malformed script, usage or host error.
 *
 * SystemC elaborates once per process, so each script runs in a child
 * process with its own platform built for the script's configuration
 * (a single script runs in this process).
 */
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <getopt.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "cmdqv_sim/config.h"
#include "tb_outfile.h"
#include "tb_scenario.h"
#include "tb_trace.h"
#include "vp_platform.h"

#ifdef __SANITIZE_ADDRESS__
#define VP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VP_ASAN 1
#endif
#endif
#ifdef VP_ASAN
/* Sanitizer builds: LeakSanitizer's tracer faults now and then while it
 * scans the stacks of SystemC's coroutines ("LeakSanitizer has encountered
 * a fatal error"), so it does not scan stacks; leaks are still found from
 * globals, TLS and the heap.  LSAN_OPTIONS overrides this default. */
extern "C" const char *__lsan_default_options(void);
extern "C" const char *__lsan_default_options(void)
{
	return "use_stacks=0";
}
#endif

using namespace sc_core;

namespace
{

struct vp_opts {
	struct tb_run_opts run = { stdout, false, false };
	sc_time quantum = SC_ZERO_TIME;
	std::string vcd;
	std::string record;
};

void usage(FILE *f)
{
	std::fprintf(
		f,
		"usage: cmdqv-vp [options] FILE...\n"
		"\n"
		"Run each scenario script (docs/scenarios.md) on the SystemC TLM-2.0\n"
		"virtual platform and print 'PASS FILE' or 'FAIL FILE:LINE: reason',\n"
		"exactly as 'cmdqv-sim run' does on the native model.\n"
		"\n"
		"options:\n"
		"  --vcd FILE      write a VCD of queue PROD/CONS/occupancy and the\n"
		"                  interrupt lines (one script only)\n"
		"  --quantum TIME  global quantum of the CPU's quantum keeper, e.g.\n"
		"                  100ns (default 0: synchronise at every step)\n"
		"  --record FILE   record the native command trace (one script only)\n"
		"  -v, --verbose   print every statement with the simulated time\n"
		"  -q, --quiet     do not print 'echo' output\n"
		"  -h, --help      this text\n"
		"\n"
		"exit status: 0 all passed, 1 a script failed, 2 malformed script,\n"
		"usage or host error.\n");
}

/* Run one parsed script on a freshly elaborated platform; returns the exit status. */
int run_script(const char *path, const struct tb_script *s, const vp_opts &o)
{
	const struct cmdqv_config *cfg = tb_script_config(s);
	vp::platform_opts po;
	po.quantum = o.quantum;
	po.vcd_path = o.vcd;
	vp::platform p("vp", *cfg, po);
	vp::vp_backend b;
	struct tb_result res;
	struct tb_recorder *rec = nullptr;
	char err[512];

	std::memset(&res, 0, sizeof(res));
	if (!o.record.empty()) {
		if (tb_recorder_open(&rec, o.record.c_str(), p.mem.mem(), cfg,
				     err, sizeof(err))) {
			std::fprintf(stderr, "%s: error: %s\n",
				     o.record.c_str(), err);
			return 2;
		}
		p.bridge.set_trace_observer(tb_recorder_trace, rec);
	}
	b.p = &p;
	b.c = p.cpus[0].get();
	b.c->set_body([&](vp::cpu &) {
		tb_script_run(s, &vp::vp_backend_ops, &b, &o.run, &res);
	});
	sc_start();

	int status = 0;
	switch (res.outcome) {
	case TB_PASS:
		std::printf("PASS %s\n", path);
		break;
	case TB_FAIL:
		std::printf("FAIL %s:%u: %s\n", path, res.line, res.msg);
		status = 1;
		break;
	default:
		std::fflush(stdout);
		if (res.line)
			std::fprintf(stderr, "%s:%u: error: %s\n", path,
				     res.line, res.msg);
		else
			std::fprintf(stderr, "%s: error: %s\n", path, res.msg);
		status = 2;
		break;
	}
	std::fflush(stdout);
	if (rec && tb_recorder_close(rec, err, sizeof(err))) {
		std::fprintf(stderr, "%s: error: %s\n", o.record.c_str(), err);
		status = 2;
	}
	return status;
}

/* A child's exit status: its PASS/FAIL line was lost (stdout failed, the
 * message printed); the parent runs no more scripts. */
constexpr int kStdoutLost = 3;

/* Parse, then run in this process or in a child. */
int run_file(const char *path, const vp_opts &o, bool fork_child)
{
	struct tb_script *s = nullptr;
	char err[640];
	if (tb_script_parse_file(path, &s, err, sizeof(err))) {
		std::fflush(stdout);
		std::fprintf(stderr, "%s\n", err);
		return 2;
	}
	int status;
	if (!fork_child) {
		status = run_script(path, s, o);
	} else {
		std::fflush(stdout);
		std::fflush(stderr);
		pid_t pid = fork();
		if (pid < 0) {
			std::fprintf(stderr, "%s: error: cannot fork: %s\n",
				     path, std::strerror(errno));
			status = 2;
		} else if (pid == 0) {
			int st = run_script(path, s, o);
			int rc = tb_outfile_close_stdout("cmdqv-vp", st);

			std::fflush(stderr);
			_exit(rc == 2 && st != 2 ? kStdoutLost : rc);
		} else {
			int ws = 0;
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
			}
			if (WIFEXITED(ws)) {
				status = WEXITSTATUS(ws);
			} else {
				std::fprintf(
					stderr,
					"%s: error: platform process died (signal %d)\n",
					path,
					WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
				status = 2;
			}
		}
	}
	tb_script_free(s);
	return status;
}

/* The one-line message for getopt_long()'s error @c ('?' or ':'), as
 * cmdqv-sim's verbs print it (cli_opts.c). */
void option_error(int c, int argc, char **argv, const struct option *longopts)
{
	const char *a = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	int n = (int)std::strcspn(a, "=");
	bool is_long = !std::strncmp(a, "--", 2);
	bool known = false;

	for (const struct option *l = longopts; l->name; l++)
		known = known || (optopt && l->val == optopt);
	if (c == ':' && is_long)
		std::fprintf(
			stderr,
			"cmdqv-vp: error: %.*s needs a value (see --help)\n", n,
			a);
	else if (c == ':')
		std::fprintf(
			stderr,
			"cmdqv-vp: error: -%c needs a value (see --help)\n",
			optopt);
	else if (!optopt)
		std::fprintf(
			stderr,
			"cmdqv-vp: error: unknown option '%s' (see --help)\n",
			a);
	else if (is_long && known)
		std::fprintf(
			stderr,
			"cmdqv-vp: error: %.*s takes no value (see --help)\n",
			n, a);
	else
		std::fprintf(
			stderr,
			"cmdqv-vp: error: unknown option '-%c' (see --help)\n",
			optopt);
}

/*
 * The options into @o, the scripts into @paths. getopt_long() as every
 * cmdqv-sim verb: options may come before or after the scripts (the README
 * writes `cmdqv-vp script.scn --vcd q.vcd`), `--` ends them, `--vcd=FILE`
 * is `--vcd FILE`, an unambiguous prefix is its option. -1 to go on, else
 * the exit status (0 after --help, 2 after one error line).
 */
int parse_options(int argc, char **argv, vp_opts &o,
		  std::vector<const char *> &paths)
{
	static const struct option longopts[] = {
		{ "help", no_argument, nullptr, 'h' },
		{ "verbose", no_argument, nullptr, 'v' },
		{ "quiet", no_argument, nullptr, 'q' },
		{ "vcd", required_argument, nullptr, 'V' },
		{ "record", required_argument, nullptr, 'r' },
		{ "quantum", required_argument, nullptr, 'Q' },
		{ nullptr, 0, nullptr, 0 },
	};
	sim_time_t q;
	int c;

	optind = 0; /* glibc: full re-initialisation, start at argv[1] */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hvq", longopts, nullptr)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			o.run.verbose = true;
			break;
		case 'q': /* whatever the order of -q and -v */
			o.run.quiet = true;
			break;
		case 'V':
			o.vcd = optarg;
			break;
		case 'r':
			if (!std::strcmp(optarg, "-")) {
				std::fprintf(
					stderr,
					"cmdqv-vp: error: --record -: stdout holds the "
					"PASS/FAIL lines; give a FILE\n");
				return 2;
			}
			o.record = optarg;
			break;
		case 'Q':
			if (cmdqv_parse_time(optarg, nullptr, &q)) {
				std::fprintf(
					stderr,
					"cmdqv-vp: error: bad --quantum '%s' (want e.g. "
					"100ns)\n",
					optarg);
				return 2;
			}
			o.quantum = cmdqv_tlm::time_from_ps(q);
			break;
		default:
			option_error(c, argc, argv, longopts);
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		paths.push_back(argv[i]);
	return -1;
}

} // namespace

int sc_main(int argc, char **argv)
{
	vp_opts o;
	std::vector<const char *> paths;

	int rc = parse_options(argc, argv, o, paths);
	if (rc >= 0)
		return rc;
	int files = (int)paths.size();
	if (files <= 0) {
		std::fprintf(
			stderr,
			"cmdqv-vp: error: no scenario file given (see --help)\n");
		return 2;
	}
	if (files > 1 && (!o.vcd.empty() || !o.record.empty())) {
		std::fprintf(
			stderr,
			"cmdqv-vp: error: --vcd and --record take one scenario file\n");
		return 2;
	}
	/* Neither output may replace a script or the other output. */
	std::vector<struct tb_outfile_use> uses = {
		{ "--vcd", o.vcd.empty() ? nullptr : o.vcd.c_str(), true,
		  false },
		{ "--record", o.record.empty() ? nullptr : o.record.c_str(),
		  true, false },
	};
	for (const char *path : paths)
		uses.push_back({ "SCRIPT", path, false, false });
	{
		char uerr[3 * TB_OUTFILE_PATH_MAX + 64];

		if (tb_outfile_check_uses(uses.data(), uses.size(), uerr,
					  sizeof(uerr))) {
			std::fprintf(stderr,
				     "cmdqv-vp: error: %s; nothing written\n",
				     uerr);
			return 2;
		}
	}
	/* --vcd and --record are written under temporary names and renamed
	 * when the run is complete (tb_outfile.h); both must be creatable
	 * before anything runs (SystemC does not report a VCD it cannot
	 * create: it crashes later). */
	struct tb_outfile out_vcd, out_rec;
	std::memset(&out_vcd, 0, sizeof(out_vcd));
	std::memset(&out_rec, 0, sizeof(out_rec));
	const struct {
		std::string *name;
		struct tb_outfile *f;
		const char *opt;
	} outs[] = { { &o.vcd, &out_vcd, "--vcd" },
		     { &o.record, &out_rec, "--record" } };
	for (const auto &out : outs) {
		char oerr[TB_OUTFILE_PATH_MAX + 64];

		if (out.name->empty())
			continue;
		if (tb_outfile_begin(out.f, out.name->c_str(), oerr,
				     sizeof(oerr))) {
			std::fprintf(stderr, "cmdqv-vp: error: %s: %s\n",
				     out.opt, oerr);
			tb_outfile_abort(&out_vcd);
			return 2;
		}
		*out.name = tb_outfile_name(out.f);
	}
	tb_outfile_catch_signals(
		"\ncmdqv-vp: interrupted; no --vcd/--record file written\n");
	/* Reports go to stderr/stdout as one message each, no SystemC banner noise. */
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);

	int status = 0;
	for (const char *path : paths) {
		int st = run_file(path, o, files > 1);
		if (st == kStdoutLost) {
			status = 2;
			break;
		}
		if (st == 2 || (st == 1 && status == 0))
			status = st;
	}
	/* A run that ended (pass or fail) has complete files; one that
	 * could not run or broke (status 2) leaves none. */
	for (const auto &out : outs) {
		char oerr[2 * TB_OUTFILE_PATH_MAX + 64];

		if (status != 2 &&
		    tb_outfile_commit(out.f, oerr, sizeof(oerr))) {
			std::fprintf(stderr, "cmdqv-vp: error: %s\n", oerr);
			status = 2;
		}
	}
	tb_outfile_abort(&out_vcd);
	tb_outfile_abort(&out_rec);
	tb_outfile_release_signals();
	return status;
}

/* Same output as cmdqv-sim: no SystemC banner.  The banner is printed before
 * sc_main runs, so the environment is set in main(), which replaces the one
 * in libsystemc (SC_COPYRIGHT_MESSAGE set by the caller still wins). */
int main(int argc, char **argv)
{
	setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
	/* the PASS/FAIL lines are complete only once stdout is closed */
	return tb_outfile_close_stdout("cmdqv-vp",
				       sc_core::sc_elab_and_sim(argc, argv));
}
