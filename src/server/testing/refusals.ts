import { Refusal } from '../domain/refusal';

/** The refusal code a domain call ends with; any other outcome (success, a server fault) fails the test. */
export async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Refusal) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}
