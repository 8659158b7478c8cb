/**
 * Checkpoints: the learner's snapshot written to a JSON file while a run goes on, an
 * append-only journal of the results since the last snapshot, and resuming from both.
 */

import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Learner } from '../learners/types.js';
import { checkOptionKeys, describe } from '../master/options.js';
import { dropPending, parseLogLines, serializeLog } from './log.js';
import { checkLearner } from './options.js';
import type { Failure, LogEntry } from './types.js';

/**
 * Options of {@link writeCheckpoint}.
 * @example
 * writeCheckpoint(learner, 'run.json', { fsync: true });
 */
export interface WriteCheckpointOptions {
  /** Flush the file and its directory to the disk before and after the rename (default false). */
  fsync?: boolean | undefined;
}

function syncPath(path: string, flags: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, flags);
    fsyncSync(fd);
  } catch {
    // Some systems cannot open or sync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `JSON.stringify(learner.snapshot())` to `path` atomically: to `path + '.tmp'` first,
 * then renamed over `path`, so a crash never leaves a half-written file. Synchronous, so the
 * snapshot is consistent. With `fsync` the data reaches the disk before the rename, and the
 * rename before it returns. O(snapshot size).
 *
 * @example
 * writeCheckpoint(learner, 'run.json');
 * learner.restore(JSON.parse(readFileSync('run.json', 'utf8')));
 */
export function writeCheckpoint(
  learner: Learner<unknown, unknown>,
  path: string,
  options: WriteCheckpointOptions = {},
): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, JSON.stringify(learner.snapshot()));
    if (options.fsync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (options.fsync) syncPath(dirname(path), 'r');
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/**
 * An append-only NDJSON file of run log entries (the runner's journal). Every `append` is one
 * `write` call, completed before it returns, so the entries survive a crash or a kill of the
 * process; with `fsync` they are also flushed to the disk (`fdatasync`) and survive an OS
 * crash or a power loss.
 *
 * @example
 * const j = new Journal('run.ndjson', { fsync: false });
 * j.append([{ op: 'tell', point: 0.5, value: 1 }]);
 * j.close();
 */
export class Journal {
  /** The file. */
  readonly path: string;
  /** Whether appends are flushed to the disk. */
  readonly fsync: boolean;
  #fd: number | undefined;

  constructor(path: string, options: { fsync?: boolean | undefined } = {}) {
    this.path = path;
    this.fsync = options.fsync ?? false;
    this.#fd = openSync(path, 'a');
  }

  /** Appends entries (serialised with {@link serializeLog}). O(size of the entries). */
  append(entries: readonly LogEntry<unknown, unknown>[]): void {
    if (entries.length === 0) return;
    const fd = this.#open();
    writeAll(fd, serializeLog(entries));
    if (this.fsync) fdatasyncSync(fd);
  }

  /** Empties the file (after a snapshot made its entries redundant). */
  truncate(): void {
    const fd = this.#open();
    ftruncateSync(fd, 0);
    if (this.fsync) fdatasyncSync(fd);
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): number {
    if (this.#fd === undefined) throw new Error(`Journal: ${this.path} is closed`);
    return this.#fd;
  }
}

/**
 * Options of {@link resume}.
 * @example
 * { path: 'run.json', journal: 'run.ndjson' }
 */
export interface ResumeOptions {
  /** The snapshot written by a run's checkpoints (skipped when the file does not exist). */
  path?: string | undefined;
  /** The run's journal (skipped when the file does not exist). */
  journal?: string | undefined;
}

/**
 * What {@link resume} found.
 * @example
 * { restored: true, told: 37, failures: [], partialLine: false }
 */
export interface ResumeResult<P = unknown> {
  /** Whether a snapshot was restored. */
  restored: boolean;
  /** Results of the journal told to the learner. */
  told: number;
  /** Points the crashed run had given up, from the journal. */
  failures: Failure<P>[];
  /** Whether the journal's last line was cut short (the process died while writing it) and skipped. */
  partialLine: boolean;
}

/**
 * Restores a learner after a crash: `learner.restore()` from the snapshot at `path` (when it
 * exists), drops the pending points it held, then tells every result of the `journal` (when
 * it exists) in order. Results that are already in the snapshot are told again, which is a
 * no-op for a learner. A last journal line cut short by the crash is skipped.
 *
 * All or nothing: both files are read and parsed before the learner is touched, and when
 * the learner refuses the snapshot or a journal entry it is put back as it was (from its own
 * snapshot taken first). Errors name the file, and for the journal the line. O(snapshot +
 * journal size).
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * resume(learner, { path: 'run.json', journal: 'run.ndjson' }); // { restored: true, told: 37, ... }
 * await run(learner, f, { lossGoal: 0.01, checkpoint: { path: 'run.json', journal: 'run.ndjson' } });
 * // a bad line: Error "resume: journal run.ndjson: line 12: the learner refused the tell of point 7: …"
 */
export function resume<P, V>(learner: Learner<P, V>, options: ResumeOptions): ResumeResult<P> {
  checkLearner('resume', learner);
  checkOptionKeys('resume', options, ['path', 'journal']);
  const path: unknown = options.path;
  const journal: unknown = options.journal;
  if (path !== undefined && (typeof path !== 'string' || path === '')) {
    throw new TypeError(`resume: path must be a non-empty string, got ${describe(path)}`);
  }
  if (journal !== undefined && (typeof journal !== 'string' || journal === '')) {
    throw new TypeError(`resume: journal must be a non-empty string, got ${describe(journal)}`);
  }
  const result: ResumeResult<P> = { restored: false, told: 0, failures: [], partialLine: false };
  // 1. Read and parse everything: a bad file leaves the learner untouched.
  const hasSnapshot = path !== undefined && existsSync(path);
  let snapshot: unknown;
  if (hasSnapshot) {
    try {
      snapshot = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new SyntaxError(
        `resume: the snapshot ${path} is not valid JSON (${(e as Error).message})`,
      );
    }
  }
  let entries: LogEntry<P, V>[] = [];
  let lines: number[] = [];
  if (journal !== undefined && existsSync(journal)) {
    let text = readFileSync(journal, 'utf8');
    if (text !== '' && !text.endsWith('\n')) {
      // The process died in the middle of an append: that last entry was never told.
      text = text.slice(0, text.lastIndexOf('\n') + 1);
      result.partialLine = true;
    }
    ({ entries, lines } = parseLogLines<P, V>(text, `resume: journal ${journal}`));
  }
  if (!hasSnapshot && entries.length === 0) {
    learner.removeUnfinished();
    return result;
  }
  // 2. Apply, and on any refusal put the learner back as it was.
  const before = learner.snapshot();
  try {
    if (hasSnapshot) {
      try {
        learner.restore(snapshot as Parameters<Learner<P, V>['restore']>[0]);
      } catch (e) {
        throw new Error(`resume: the snapshot ${path} was refused: ${errorMessage(e)}`, {
          cause: e,
        });
      }
      result.restored = true;
    }
    learner.removeUnfinished();
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k] as LogEntry<P, V>;
      try {
        if (e.op === 'tell') {
          learner.tell(e.point, e.value);
          result.told++;
        } else if (e.op === 'fail') {
          dropPending(learner, e.point);
          result.failures.push({
            point: e.point,
            error: e.error,
            attempts: e.attempts,
            kind: e.kind ?? 'error',
          });
        }
      } catch (err) {
        const what = e.op === 'tell' ? 'the tell' : 'dropping the given-up';
        throw new Error(
          `resume: journal ${journal}: line ${lines[k]}: the learner refused ${what} of point ${describe((e as { point: unknown }).point)}: ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }
  } catch (e) {
    try {
      learner.restore(before);
    } catch (r) {
      throw new Error(
        `${errorMessage(e)} (and putting the learner back as it was failed: ${errorMessage(r)})`,
        { cause: e },
      );
    }
    throw e;
  }
  return result;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
