/** The `--help` texts of the command line. */

import { WORKER_USAGE } from '../bullmq/command.js';

/**
 * `adaptive-sampling --help`.
 * @example
 * process.stdout.write(MAIN_HELP);
 */
export const MAIN_HELP = `adaptive-sampling: sample a function adaptively, where it is interesting.

A learner picks the next points to evaluate (more points where the function changes
fast), your function evaluates them, until a goal is met. Results go to CSV/JSON files,
an SVG picture, and a snapshot you can resume from.

Usage:
  adaptive-sampling run <module> --learner KIND --bounds=A,B[,...] GOAL [options]
  adaptive-sampling plot <snapshot.json> -o FILE.svg
  adaptive-sampling worker ...            (evaluate points for a distributed run)
  adaptive-sampling help [run|plot|worker]

Examples:
  # f.mjs:  export default (x) => Math.tanh(20 * x);
  adaptive-sampling run f.mjs --learner 1d --bounds=-1,1 --loss-goal 0.01 --out f.csv --plot f.svg
  adaptive-sampling run f.mjs --learner 1d --bounds=-1,1 --npoints-goal 500 --workers 4 --save run.json
  adaptive-sampling run f.mjs --resume run.json --npoints-goal 2000
  adaptive-sampling plot run.json -o run.svg

Run 'adaptive-sampling help run' for every option of 'run'.
`;

/**
 * `adaptive-sampling run --help`.
 * @example
 * process.stdout.write(RUN_HELP);
 */
export const RUN_HELP = `adaptive-sampling run: sample an exported function of a JavaScript module.

Usage:
  adaptive-sampling run <module> [--export NAME] --learner KIND --bounds=A,B[,C,D...]
                        (--loss-goal X | --npoints-goal N | --duration-goal SECONDS)
                        [--workers N] [--out FILE.csv|FILE.arrow|FILE.json] [--plot FILE.svg]
                        [--save FILE.json] [--resume FILE.json] [--live [PORT]]

<module> is a path to an ES module (.mjs, .js; .ts when tsx is installed). Its export
(default: the default export) is called with one point and returns a number, an array
of numbers (vector output) or a promise of one.

The learner (--learner), and the point your function receives:
  1d          x (a number)                   a function on an interval; --bounds=A,B
  2d          [x, y]                         a function on a rectangle; --bounds=X0,X1,Y0,Y1
                                             or on a convex polygon: --hull=X0,Y0,X1,Y1,...
  nd          [x0, x1, ...]                  a function on a box; one pair A,B per dimension
  sparse      [x0, x1, ...]                  a function on a box in many dimensions (6-20):
                                             an adaptive sparse grid; one pair A,B per dimension
  average     seed (an integer)              the mean of a noisy quantity; no --bounds;
                                             needs --atol X and/or --rtol X
  average1d   [seed, x]                      a noisy function on an interval; --bounds=A,B
  average2d   [seed, [x, y]]                 a noisy function on a rectangle;
                                             --bounds=X0,X1,Y0,Y1
  integrator  x (a number)                   the integral over an interval; --bounds=A,B;
                                             stops by itself at the tolerance --tol X

Bounds are comma-separated numbers in pairs. Write negative numbers with '=':
--bounds=-1,1 (or quote them: --bounds "-1,1").

Goals (at least one; the run stops at the first met):
  --loss-goal X          stop when the learner's loss is at most X (e.g. 0.01)
  --npoints-goal N       stop after N points
  --duration-goal S      stop after S seconds
  integrator needs no goal (it stops at --tol); average stops at its tolerances (loss 1)
  unless a goal is given.

Evaluation:
  --export NAME          the export to call (default: default)
  --workers N            evaluate on N worker threads (for CPU-bound functions); without
                         it, the function runs in this process
  --concurrency N        evaluations in flight in this process, for async functions
                         (default 1; not with --workers)
  --retries N            retry a point whose evaluation throws, N times (default 0); a
                         point still failing stops the run (what was learnt is still saved)

Learner options:
  --tol X                integrator: relative tolerance of the integral (default 1e-8)
  --atol X, --rtol X     average: absolute / relative tolerance of the mean
  --min-samples N        average1d, average2d: samples per point at least (default 50, 3)
  --max-samples N        average1d, average2d: samples per point at most (default: no limit)
  --integer              1d, 2d, nd: sample the integers of --bounds only (integer
                         bounds); the run may stop by itself once every lattice point
                         is evaluated
  --integer-dims I,J     2d, nd: only these dimensions (0-based) are integer, the others
                         continuous (a goal is needed)
  --hull=X0,Y0,X1,Y1,... 2d: the domain is the convex polygon with these vertices, in
                         order around it (instead of --bounds); every point asked lies in it

Output:
  --out FILE.csv|.arrow|.json
                         the evaluated points, one row each (one per sample for average
                         and average1d), columns as python-adaptive's to_dataframe: x,y /
                         x,y,z / x,y,z,value / seed,y / seed,x,y (vectors y_0,y_1,...):
                         CSV (NaN, inf, -inf as pandas reads them), Apache Arrow (needs
                         the apache-arrow package) or JSON (records, summary)
  --load FILE.csv|.arrow start from earlier data (a file --out wrote, or any table with
                         those columns): told to the learner before the run; rows outside
                         the bounds or repeated are skipped and counted
  --plot FILE.svg        a picture of the learner (not for --learner average)
  --save FILE.json       the learner's snapshot, written every 10 s and at the end, for
                         --resume and 'adaptive-sampling plot'
  --resume FILE.json     continue from a snapshot written by --save: the learner and its
                         bounds come from the file (--learner and --bounds may be left
                         out), and the snapshot is saved back to it unless --save is given
  --live [PORT]          watch the run in a browser: a local page (127.0.0.1, any free
                         port unless PORT is given) whose URL, with its token, is printed
  --quiet                no progress line (on a terminal the line updates in place;
                         otherwise a plain line every 10 s)
  -h, --help             this text

Ctrl-C stops the run cleanly: the points so far are written to --out, --plot and --save.

Exit codes: 0 done, 1 the run failed (an evaluation threw, a file could not be written),
2 bad arguments, 130 stopped by Ctrl-C (after writing the files).

Examples:
  adaptive-sampling run f.mjs --learner 1d --bounds=-1,1 --loss-goal 0.005 --plot f.svg
  adaptive-sampling run ring.mjs --learner 2d --bounds=-1,1,-1,1 --npoints-goal 2000 --workers 2 --out ring.csv
  adaptive-sampling run noisy.mjs --learner average1d --bounds=0,1 --duration-goal 30 --save noisy.json
  adaptive-sampling run f.mjs --export g --learner integrator --bounds=0,1 --tol 1e-10
  adaptive-sampling run f.mjs --resume run.json --npoints-goal 5000 --plot f.svg
  adaptive-sampling run f.mjs --learner 1d --bounds=-1,1 --load old.csv --npoints-goal 500 --out new.csv
`;

/**
 * `adaptive-sampling plot --help`.
 * @example
 * process.stdout.write(PLOT_HELP);
 */
export const PLOT_HELP = `adaptive-sampling plot: draw a saved snapshot or data file as SVG.

Usage:
  adaptive-sampling plot <snapshot.json|data.csv|data.arrow> -o FILE.svg [--title TEXT]
                         [--width PX] [--height PX] [--fixed=V0,V1,...]

<snapshot.json> is a file written by 'run --save' (or any learner.snapshot() of a
Learner1D, Learner2D, LearnerND, AverageLearner1D or IntegratorLearner as JSON).
<data.csv> or <data.arrow> is a file written by 'run --out' (or toCSV/toArrow): the
learner comes from its columns (x,y: 1d; x,y,z: 2d; x,...,value: nd; seed,x,y:
average1d), its bounds from the data.

Options:
  -o, --output FILE.svg  where to write the picture ('-' for standard output)
  --title TEXT           the title (default: the learner, its points and loss)
  --width PX, --height PX  the picture's size
  --fixed=V0,V1,...      nd: one entry per dimension, a number fixes that coordinate,
                         an empty entry leaves it free (two free: a heat map, one: a
                         curve); e.g. --fixed=,,0.5 (default: the middle of every
                         dimension after the first two)
  -h, --help             this text

Example:
  adaptive-sampling plot run.json -o run.svg --title "my function"
  adaptive-sampling plot run.csv -o run.svg
`;

/**
 * `adaptive-sampling worker --help`.
 * @example
 * process.stdout.write(WORKER_HELP);
 */
export const WORKER_HELP = WORKER_USAGE;
