/** Messages between `run` with `workers: N` (parent) and its worker processes, over Node IPC. */
import type { OptionOverrides } from '../config/k6-options.ts';
import type { ProgressEvent, TimeSeriesPoint } from '../output/progress-events.ts';
import type { HttpClientKind } from '../http/client-config.ts';
import type { OutputSpec } from '../output/create-outputs.ts';
import type { AbortCause } from '../runtime/run-context.ts';
import type { RegistrySnapshot } from '../metrics/metric-snapshot.ts';
import type { SummaryGroup } from '../metrics/group-tree.ts';

export type ParentMessage =
  | {
      type: 'start';
      script: string;
      env: Record<string, string>;
      overrides: OptionOverrides;
      httpClient: HttpClientKind | undefined;
      setupDataJson: string | undefined;
      /** The run's `--out` outputs; a worker sends their text back by index. */
      outputs: OutputSpec[];
    }
  | { type: 'go' }
  | { type: 'abort'; cause: AbortCause };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; exitCode: number; message: string }
  | { type: 'event'; event: ProgressEvent }
  | { type: 'tick'; index: number; point: TimeSeriesPoint }
  | { type: 'output'; index: number; text: string }
  | { type: 'aborted'; cause: AbortCause }
  | {
      type: 'done';
      metrics: RegistrySnapshot;
      groups: SummaryGroup;
      executionMs: number;
      failedMessage: string | undefined;
      interruptedInFlight: number;
    };
