/**
 * `masterConformance(name, make)`: the master conformance suite (src/testing/master-conformance.ts)
 * as one Vitest test per check. Every Master's tests call it.
 */
import { describe, it } from 'vitest';
import { MASTER_CHECKS, type MasterFactory } from '../../src/testing/master-conformance.js';

/**
 * Registers one test per conformance check for the masters that `make` returns.
 *
 * @example
 * masterConformance('InlineMaster', () => new InlineMaster(conformanceFunction, { concurrency: 4 }));
 */
export function masterConformance(name: string, make: MasterFactory): void {
  describe(`${name} conformance`, () => {
    for (const c of MASTER_CHECKS) {
      it(`${c.name}: ${c.description}`, () => c.check(make), 60_000);
    }
  });
}
