/**
 * The order system's errors are rows of the app's one error table (errors.ts); these names
 * keep the order code readable where it throws.
 */
export { AppError as OrderError } from '../errors.ts';
export type { ErrorCode as OrderErrorCode } from '../errors.ts';
