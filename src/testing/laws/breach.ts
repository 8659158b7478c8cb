/**
 * How a law reports: a {@link Breach} thrown inside a property (as opposed to an error the
 * learner throws), where the current run is (for messages about the learner's errors), and
 * values shown shortened.
 */

import fc from 'fast-check';

/** An observed breach of a law, thrown inside a property (as opposed to an error thrown by the learner). */
export class Breach extends Error {
  override readonly name = 'Breach';
}

/** Where the current property run is, for messages about errors the learner throws. */
let location = '';

/** Records where the current run is (a property runs synchronously, so one variable does). */
export function at(label: string): void {
  location = label;
}

/** Where the current run is, as last recorded by {@link at} (`''` at its start). */
export function currentLocation(): string {
  return location;
}

/** Throws a {@link Breach} with the message. */
export function fail(message: string): never {
  throw new Breach(message);
}

/** Shows a value in a message, shortened. */
export function show(x: unknown, max = 200): string {
  const text = fc.stringify(x);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
