#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""report.html of `cmdqv-sim compare`: a view over summary.json.

The page is a Jinja2 template (report.html.j2, one file per section under
sections/); the plots are gnuplot scripts, also templates (plots/*.gp.j2),
run on data files this script writes from summary.json (and, for the
latency distributions, the per-unmap latencies of samples.csv).  Nothing on
the page is computed anywhere else, so page and JSON never disagree.

    render.py --check
    render.py --summary S.json --samples S.csv --plots DIR/plots \
              --plots-rel plots --out DIR/.report.html.tmp

`cmdqv-sim compare` runs it (docs/output-formats.md); by hand it redraws a
report from a finished output directory.  Errors: one line
"error: ..." on stderr, exit status 2.  $CMDQV_GNUPLOT names the gnuplot
program (default "gnuplot").
"""
import argparse
import csv
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CDF_POINTS = 400  # points per CDF curve in the plot data

# Tableau-10 colours: stages (and granules) take them in order, paths have
# their own.
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
PATH_COLOURS = {"trap": "#e15759", "eventfd": "#f28e2b",
                "direct": "#4e79a7", "host": "#59a14f"}
OTHER_COLOUR = "#9c755f"


class ReportError(Exception):
    """One line for the user, without the "error: " prefix."""


def gnuplot_program():
    p = os.environ.get("CMDQV_GNUPLOT", "")
    return p if p else "gnuplot"


def check():
    """The renderer can run: jinja2 imports and gnuplot starts."""
    try:
        import jinja2  # noqa: F401
    except ImportError:
        raise ReportError(
            "python3 module jinja2 not found: the report is a Jinja2 "
            "template (Debian package python3-jinja2; "
            "tools/install-deps.sh installs it)")
    try:
        rc = subprocess.run([gnuplot_program(), "--version"],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
    except OSError:
        raise ReportError(
            "'%s' not found: the report's plots need gnuplot (Debian "
            "package gnuplot-nox; tools/install-deps.sh installs it)"
            % gnuplot_program())
    if rc != 0:
        raise ReportError("'%s --version' failed (status %d)"
                          % (gnuplot_program(), rc))


# ---- numbers -------------------------------------------------------------

def num(o, key):
    """o[key] as a float, NaN when absent or not a number."""
    v = o.get(key) if isinstance(o, dict) else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return math.nan
    return float(v)


def c_int(v):
    """json_integer_value(): the integer, 0 for anything else."""
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


class View:
    """summary.json with the look-ups the sections and plots share."""

    def __init__(self, summary, sorted_lat):
        self.s = summary
        self.workload = summary.get("workload") or {}
        self.points = summary.get("points") or []
        self.stages = summary.get("stages") or []
        self.sorted = sorted_lat  # (path, threads, granule) -> [ns] ascending

    def w(self, key):
        v = self.workload.get(key)
        return v if isinstance(v, list) else []

    def find(self, path, threads, granule):
        for p in self.points:
            if (p.get("path") == path and num(p, "threads") == threads
                    and num(p, "granule_pages") == granule):
                return p
        return None

    def path_run(self, name):
        return name in self.w("paths")

    def reduction_range(self, path="direct", threads=None):
        """(lo, hi) of reduction_vs_trap_pct of @path, or None."""
        reds = [num(p, "reduction_vs_trap_pct") for p in self.points
                if p.get("path") == path
                and (threads is None or num(p, "threads") == threads)]
        reds = [r for r in reds if not math.isnan(r)]
        return (min(reds), max(reds)) if reds else None

    def calibration_errors(self):
        errs = []
        for c in self.s.get("calibration") or []:
            for k in ("trap", "direct"):
                e = num(c.get(k) or {}, "error_pct")
                if not math.isnan(e):
                    errs.append(e)
        return errs


# ---- filters (the C printf formats of the old page, kept) -----------------

def make_filters(markup):
    def us(ns):
        """µs from ns: 2 decimals below 10 µs, else 1; an en dash if unknown."""
        if ns is None or math.isnan(ns):
            return markup("&ndash;")
        return "%.2f" % (ns / 1000.0) if ns < 10000.0 else \
            "%.1f" % (ns / 1000.0)

    def pct(x):
        if x is None or math.isnan(x):
            return markup("&ndash;")
        return markup("%+.1f&nbsp;%%" % x)

    def value(v):
        if v is True:
            return "on"
        if v is False:
            return "off"
        if isinstance(v, int):
            return "%d" % v
        if isinstance(v, float):
            return "%g" % v
        if isinstance(v, str):
            return v
        return markup("&ndash;")

    def fmt(x, f):
        """printf-style formatting of a number, NaN as C prints it."""
        return f % x
    return {"us": us, "pct": pct, "value": value, "fmt": fmt}


# ---- plots ---------------------------------------------------------------

def svg_inline(doc, prefix):
    """gnuplot's SVG document as an inline element: everything before <svg
    dropped, every id and local reference prefixed with "@prefix-" so the
    ids of several plots on one page never collide."""
    i = doc.find("<svg")
    if i < 0:
        return None
    return re.sub(r"(id='|id=\"|href='#|href=\"#|url\(#)",
                  lambda m: m.group(1) + prefix + "-", doc[i:])


class Plots:
    """Writes data files and scripts into the plot directory, runs gnuplot,
    keeps each plot's inline SVG for the page (name -> dict)."""

    def __init__(self, env, plot_dir, plot_dir_rel):
        self.env = env
        self.dir = plot_dir
        self.rel = plot_dir_rel
        self.figs = {}

    def write(self, name, text):
        """@text as NAME in the plot directory, written as .NAME.tmp and
        renamed when complete (as the CLI writes every file it makes)."""
        path = os.path.join(self.dir, name)
        tmp = os.path.join(self.dir, "." + name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, path)
        except OSError as e:
            raise ReportError("cannot write %s/%s: %s"
                              % (self.dir, name, e.strerror))

    def data(self, name, text):
        self.write(name, text)

    def render(self, name, width, height, caption, **ctx):
        """plots/<kind>.gp.j2 (ctx["kind"]) with @ctx -> NAME.gp -> NAME.svg."""
        gp = name + ".gp"
        script = self.env.get_template("plots/%s.gp.j2" % ctx.pop("kind")) \
            .render(name=name, width=width, height=height, **ctx)
        self.write(gp, script)
        # gnuplot draws into a temporary too: the same script, read from
        # its standard input, with only the output line changed.
        out = "set output '%s.svg'\n" % name
        tmp_svg = "." + name + ".svg.tmp"
        if out not in script:
            raise ReportError("plots/%s: no \"%s\" line" % (gp, out.strip()))
        log = os.path.join(self.dir, name + ".log")
        try:
            with open(log, "w") as lf:
                rc = subprocess.run(
                    [gnuplot_program()], cwd=self.dir, stdout=lf, stderr=lf,
                    input=script.replace(out, "set output '%s'\n" % tmp_svg),
                    encoding="utf-8").returncode
        except OSError:
            raise ReportError("'%s' not found (install Debian package "
                              "gnuplot-nox)" % gnuplot_program())
        if rc != 0:
            try:
                os.remove(os.path.join(self.dir, tmp_svg))
            except OSError:
                pass
            try:
                with open(log, encoding="utf-8", errors="replace") as lf:
                    msg = lf.read().lstrip("\n ").split("\n", 1)[0]
                raise ReportError("gnuplot failed on %s/%s: %s"
                                  % (self.dir, gp, msg))
            except OSError:
                raise ReportError("gnuplot failed on %s/%s (status %d)"
                                  % (self.dir, gp, rc))
        try:
            os.replace(os.path.join(self.dir, tmp_svg),
                       os.path.join(self.dir, name + ".svg"))
        except OSError as e:
            raise ReportError("gnuplot wrote no %s/%s.svg: %s"
                              % (self.dir, name, e.strerror))
        os.remove(log)  # an empty log on success
        svg_path = os.path.join(self.dir, name + ".svg")
        try:
            with open(svg_path, encoding="utf-8") as f:
                doc = f.read()
        except OSError as e:
            raise ReportError("gnuplot wrote no %s: %s"
                              % (svg_path, e.strerror))
        svg = svg_inline(doc, name)
        if svg is None:
            raise ReportError("%s is not an SVG document" % svg_path)
        self.figs[name] = {"name": name, "width": width, "svg": svg,
                           "caption": caption, "rel": self.rel}


def plural(n):
    return "" if n == 1 else "s"


def plots_breakdown(v, pl):
    """Stacked stage means per thread count: breakdown_tT, breakdown_share_tT."""
    nst = len(v.stages)
    grans = v.w("granules")
    colours = [COLOURS[i % len(COLOURS)] for i in range(nst)]
    for t in map(c_int, v.w("threads")):
        file = "breakdown_t%d.dat" % t
        lines = ["label" + "".join(' "%s"' % s.get("name", "")
                                   for s in v.stages) + " total"]
        for gi, g in enumerate(map(c_int, grans)):
            any_ = False
            for path in v.w("paths"):
                p = v.find(path, t, g)
                if p is None:
                    continue
                b = p.get("breakdown_ns") or {}
                row, total = '"%dp %s"' % (g, path), 0.0
                for s in v.stages:
                    x = num(b, s.get("name", ""))
                    x = 0.0 if math.isnan(x) else x / 1000.0
                    total += x
                    row += " %.4f" % x
                lines.append(row + " %.4f" % total)
                any_ = True
            if any_ and gi + 1 < len(grans):
                lines.append('""' + " 0" * (nst + 1))
        pl.data(file, "\n".join(lines) + "\n")
        pl.render("breakdown_t%d" % t, 1000, 420,
                  "Stacked mean time per unmap by stage, %d thread%s (µs); "
                  "label = granule in pages and path." % (t, plural(t)),
                  kind="breakdown", file=file, threads=t, nstages=nst,
                  colours=colours)
        pl.render("breakdown_share_t%d" % t, 1000, 340,
                  "Share of each stage in the mean unmap, %d thread%s (%%)."
                  % (t, plural(t)),
                  kind="breakdown_share", file=file, threads=t, nstages=nst,
                  colours=colours)


def plots_cdf(v, pl):
    """Latency CDF per granule (cdf_gG), a curve per path and thread count."""
    for g in map(c_int, v.w("granules")):
        file = "cdf_g%d.dat" % g
        text, series = [], []
        for path in v.w("paths"):
            for ti, t in enumerate(map(c_int, v.w("threads"))):
                if v.find(path, t, g) is None:
                    continue
                lat = v.sorted.get((path, t, g), [])
                n = len(lat)
                if not n:
                    continue
                text.append("# %s, %d thread(s)\n" % (path, t))
                for k in range(CDF_POINTS + 1):
                    i = int(k / CDF_POINTS * (n - 1))
                    text.append("%.4f %.6f\n" % (lat[i] / 1000.0,
                                                 (i + 1) / n))
                text.append("\n\n")
                series.append({"index": len(series), "dt": 1 if ti == 0
                               else 2, "colour": PATH_COLOURS.get(
                                   path, OTHER_COLOUR),
                               "title": "%s, %d thr" % (path, t)})
        pl.data(file, "".join(text))
        if series:
            pl.render("cdf_g%d" % g, 560, 400,
                      "CDF of unmap latency, granule %d page%s."
                      % (g, plural(g)),
                      kind="cdf", file=file, granule=g, series=series)


def plots_scaling(v, pl):
    """Mean latency against granule (with the measured values) and against
    threads (with throughput)."""
    if len(v.w("granules")) > 1:
        file = "scaling_granule.dat"
        text, series = [], []
        for path in v.w("paths"):
            for ti, t in enumerate(map(c_int, v.w("threads"))):
                text.append("# %s, %d thread(s): granule mean_us p99_us\n"
                            % (path, t))
                for g in map(c_int, v.w("granules")):
                    p = v.find(path, t, g)
                    if p is not None:
                        u = p.get("unmap_ns") or {}
                        text.append("%d %.4f %.4f\n" % (
                            g, num(u, "mean") / 1000.0,
                            num(u, "p99") / 1000.0))
                text.append("\n\n")
                series.append({"index": len(series),
                               "dt": 1 if ti == 0 else 2,
                               "colour": PATH_COLOURS.get(path, OTHER_COLOUR),
                               "title": "%s, %d thr" % (path, t)})
        measured = []
        for path in ("trap", "direct"):
            text.append("# measured %s (NVIDIA HW QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com): granule us\n"
                        % path)
            for c in v.s.get("calibration") or []:
                text.append("%.0f %.4f\n" % (
                    num(c, "granule_pages"),
                    num(c.get(path) or {}, "measured_ns") / 1000.0))
            text.append("\n\n")
            measured.append({"index": len(series) + len(measured),
                             "colour": PATH_COLOURS[path],
                             "title": "measured %s, 1 thr" % path})
        pl.data(file, "".join(text))
        pl.render("scaling_granule", 1000, 460,
                  "Mean unmap latency against granule; open circles are the "
                  "measured Grace values (1 thread).",
                  kind="scaling_granule", file=file, series=series,
                  measured=measured)
    threads = list(map(c_int, v.w("threads")))
    if len(threads) < 2:
        return
    file = "scaling_threads.dat"
    text = []
    paths, grans = v.w("paths"), list(map(c_int, v.w("granules")))
    for path in paths:
        for g in grans:
            text.append("# %s, granule %d: threads mean_us throughput\n"
                        % (path, g))
            for t in threads:
                p = v.find(path, t, g)
                if p is not None:
                    text.append("%d %.4f %.1f\n" % (
                        t, num(p.get("unmap_ns") or {}, "mean") / 1000.0,
                        num(p, "throughput_unmaps_per_s")))
            text.append("\n\n")
    pl.data(file, "".join(text))
    lo, hi = float(min(threads)), float(max(threads))
    pl.render("scaling_threads", 360 * len(paths), 700,
              "Top: mean unmap latency against threads, one line per granule "
              "(pages). Bottom: total throughput.",
              kind="scaling_threads", file=file, paths=paths, granules=grans,
              threads=threads, colours=COLOURS,
              xlo=lo - 0.1 * (hi - lo) - 0.1, xhi=hi + 0.1 * (hi - lo) + 0.1)


def plots_study(v, pl):
    """The contention study's curves to 64 vCPUs and 16 VMs with their band
    (summary.contention_study.scaling), when compare ran --study."""
    st = v.s.get("contention_study")
    sc = st.get("scaling") if isinstance(st, dict) else None
    if not isinstance(sc, dict):
        return
    file = "study_scaling.dat"
    text, panels = [], []
    for fam, title, xlabel in (("vcpus", "vCPUs of one VM", "vCPUs"),
                               ("vms", "VMs of one vCPU", "VMs")):
        f = sc.get(fam) or {}
        xs = list(map(c_int, f.get("x") or []))
        if not xs:
            continue
        series = []
        for se in f.get("series") or []:
            path = se.get("path", "")
            text.append("# %s, %s: x mean_us band_low_us band_high_us\n"
                        % (fam, path))
            for x, m, lo, hi in zip(xs, se.get("mean_ns") or [],
                                    se.get("band_low_ns") or [],
                                    se.get("band_high_ns") or []):
                text.append("%d %.4f %.4f %.4f\n" % (
                    x, m / 1000.0, lo / 1000.0, hi / 1000.0))
            text.append("\n\n")
            series.append({"index": sum(len(p["series"]) for p in panels)
                           + len(series),
                           "colour": PATH_COLOURS.get(path, OTHER_COLOUR),
                           "title": path})
        panels.append({"title": title, "xlabel": xlabel, "x": xs,
                       "xlo": min(xs) / 1.3, "xhi": max(xs) * 1.3,
                       "series": series})
    if not panels:
        return
    pl.data(file, "".join(text))
    pl.render("study_scaling", 1000, 440,
              "Predicted mean unmap latency at 1 page against vCPUs of one VM "
              "(left) and VMs of one vCPU (right); shaded: the band from the "
              "assumed contention parameters at their low and high values.",
              kind="study_scaling", file=file, panels=panels)


# The plots, in the order they are drawn (a failure names the first one that
# failed).  A new section with plots adds its function here and its figures
# to its template (fig("name")).
PLOTS = [plots_breakdown, plots_cdf, plots_scaling, plots_study]


# ---- the page --------------------------------------------------------------

def load_latencies(path):
    """samples.csv -> {(path, threads, granule): [latency_ns ascending]}."""
    out = {}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rd = csv.reader(f)
            head = next(rd, None)
            if not head or head[:7] != ["path", "threads", "granule_pages",
                                        "vm", "thread", "start_ns",
                                        "latency_ns"]:
                raise ReportError("%s:1: expected the samples.csv header"
                                  % path)
            for line, row in enumerate(rd, start=2):
                try:
                    key = (row[0], int(row[1]), int(row[2]))
                    out.setdefault(key, []).append(float(row[6]))
                except (IndexError, ValueError):
                    raise ReportError("%s:%d: expected a sample row"
                                      % (path, line))
    except OSError as e:
        raise ReportError("cannot read %s: %s" % (path, e.strerror))
    for v in out.values():
        v.sort()
    return out


def render(args):
    import json
    import jinja2
    from markupsafe import Markup

    try:
        with open(args.summary, encoding="utf-8") as f:
            summary = json.load(f)
    except OSError as e:
        raise ReportError("cannot read %s: %s" % (args.summary, e.strerror))
    except ValueError as e:
        raise ReportError("%s: not JSON: %s" % (args.summary, e))
    if not isinstance(summary, dict) or \
            summary.get("schema") != "cmdqv-sim.compare/1":
        raise ReportError("%s: expected schema cmdqv-sim.compare/1"
                          % args.summary)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(make_filters(Markup))
    env.globals.update(
        colours=COLOURS, num=num, c_int=c_int, plural=plural,
        isnan=math.isnan,
        path_colour=lambda p: PATH_COLOURS.get(p, OTHER_COLOUR))
    v = View(summary, load_latencies(args.samples))
    pl = Plots(env, args.plots, args.plots_rel)
    for make in PLOTS:
        make(v, pl)
    html = env.get_template("report.html.j2").render(
        s=summary, v=v, w=v.workload, figs=pl.figs, plots_rel=args.plots_rel)
    try:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(html)
    except OSError as e:
        raise ReportError("cannot write %s: %s" % (args.out, e.strerror))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="only check that jinja2 and gnuplot are there")
    ap.add_argument("--summary")
    ap.add_argument("--samples")
    ap.add_argument("--plots")
    ap.add_argument("--plots-rel", default="plots")
    ap.add_argument("--out")
    args = ap.parse_args()
    try:
        check()
        if not args.check:
            if not (args.summary and args.samples and args.plots
                    and args.out):
                raise ReportError("--summary, --samples, --plots and --out "
                                  "are needed")
            render(args)
    except ReportError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
