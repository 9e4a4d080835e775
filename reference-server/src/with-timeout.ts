/**
 * Rejects with `message` when `promise` has not settled within `ms`. The work itself goes on
 * (a Kafka send may still land, a query still finish): callers treat a timeout as "outcome
 * unknown", never as "did not happen".
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
