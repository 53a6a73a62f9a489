import { BuyapowaApiError } from './errors';
import { checkObject, type Field } from './fields';

/** Throws `invalid_request` listing every problem, when there are any. @internal */
export function assertNoProblems(problems: string[], what: string): void {
  if (problems.length) {
    throw new BuyapowaApiError('invalid_request', `${what} was not sent: ${problems.join('; ')}`, { problems });
  }
}

/**
 * Checks `{ [wrapper]: object }`, the shape of every single call, and returns the object with
 * its values typed as the guide documents them.
 * @internal
 */
export function checkWrapped(
  params: unknown,
  wrapper: string,
  fields: Field[],
  booleans: 'string' | 'boolean',
  what: string,
  problems: string[] = [],
): Record<string, unknown> {
  if (!params || typeof params !== 'object') {
    assertNoProblems([`the request expected an object like { ${wrapper}: { … } }, received ${params === null ? 'null' : typeof params}`], what);
  }
  const checked = checkObject((params as Record<string, unknown>)[wrapper], fields, wrapper, booleans);
  assertNoProblems([...problems, ...checked.problems], what);
  return checked.value;
}
