/** Why a set of parts cannot be merged into one test; each names what to change. */

export const PARTIAL_MERGE_PROBLEMS = ['unreadable', 'different-tests', 'overlapping-segments', 'missing-segments', 'not-executed'] as const;
export type PartialMergeProblem = (typeof PARTIAL_MERGE_PROBLEMS)[number];

export class PartialMergeError extends Error {
  override readonly name = 'PartialMergeError';

  constructor(
    readonly problem: PartialMergeProblem,
    message: string,
  ) {
    super(message);
  }
}
