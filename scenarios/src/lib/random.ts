/** Uniform draws for user ids and think time (k6 has no seeded random; Math.random is per VU). */
export function thinkSeconds([min, max]: readonly [number, number]): number {
  return min + Math.random() * (max - min);
}

export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}
