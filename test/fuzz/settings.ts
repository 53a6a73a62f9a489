// How the property-based tests run: 10,000 generated inputs per property, from a fixed seed
// unless FUZZ_SEED says otherwise, so a failure can be replayed.
import fc from 'fast-check';

/** The default seed: every run of `npm test` checks the same inputs. */
const DEFAULT_SEED = 20261129;

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;

/** At least this many generated inputs per property (FUZZ_RUNS may raise it, or lower it while debugging). */
export const FUZZ_RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 10_000;

/** Vitest's time limit for one property: a deadlock guard for a slow shared machine, not a timing assertion. */
export const FUZZ_TEST_TIMEOUT_MS = 600_000;

/** Replays one failing case: the `path` fast-check printed with the seed. */
export const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

/** fast-check parameters; fast-check's own failure report names the seed and path too. */
export const fuzzParameters = <T>(): fc.Parameters<T> => ({ seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true, ...(FUZZ_PATH && { path: FUZZ_PATH }) });

/** Runs a property, and on failure says how to replay it. */
export async function fuzz<T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, parameters: fc.Parameters<T> = fuzzParameters<T>()): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<T>, parameters);
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    throw new Error(
      `Fuzz failure with FUZZ_SEED=${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} FUZZ_PATH=<path below> npx vitest run test/fuzz):\n${(error as Error).message}\nCaused by: ${cause && cause.message}`,
    );
  }
}
