/**
 * Where perf-lab writes one folder per load run (relative to the working folder):
 * `run` writes there, and `report`, `gate` and `audit --latest` look there.
 */
export const RUNS_DIR = 'reports/runs';
