/** @perf-lab/engine: run k6 scripts in Node with k6's semantics. The one public barrel. */
export { run } from './run.ts';
export type { RunOptions, RunResult, ThresholdResult } from './run/run-options.ts';
export type { HttpClientKind } from './http/client-config.ts';
export type { ProgressEvent, ProgressListener, ScenarioProgress, TimeSeriesPoint, LogLevel } from './output/progress-events.ts';
export { EXIT_CODES, type ExitCode } from './run/exit-codes.ts';
export type { K6Options, OptionOverrides, ScenarioInput, StageInput } from './config/k6-options.ts';
export { parseDurationMs } from './config/duration.ts';
export {
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  buildStripes,
  scaleInt,
  equalSegments,
  formatSegment,
  formatSequence,
  type ExecutionSegment,
} from './config/execution-segment.ts';
export type { SummaryData } from './summary/summary-data.ts';
export type { SummaryMetric, MetricType, ValueType } from './metrics/metric-types.ts';
export type { SummaryGroup, SummaryCheck } from './metrics/group-tree.ts';
export { textSummary, type TextSummaryOptions } from './summary/text-summary.ts';
export { legacySummaryExport } from './summary/summary-export.ts';
export { parseThresholdExpression, type ThresholdExpression } from './thresholds/parse-threshold.ts';
