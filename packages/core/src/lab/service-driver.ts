import type { LabServiceName } from './lab-services.ts';
import type { ManagedProcess, SpawnSpec } from './managed-process.ts';

/** What the lab needs to know to install-check, start, probe and stop one service. */
export interface ServiceDriver<Name extends LabServiceName = LabServiceName> {
  readonly name: Name;
  /** host:port clients use; named in every error about this service. */
  readonly address: string;
  readonly process: ManagedProcess;
  /** Undefined when the binaries are there; otherwise what is missing and how to install it. */
  missingInstall(): string | undefined;
  /** One-time initialisation of on-disk state (datadir, storage format); idempotent. */
  prepare(): Promise<void>;
  spawnSpec(): SpawnSpec;
  /** Called repeatedly while the process starts; resolves once it serves real requests. */
  ready(timeoutMs: number): Promise<string>;
  /** A real request (SQL, PING, metadata); resolves with the server's version. */
  probe(timeoutMs: number): Promise<string>;
  /**
   * For a process that was already running: why it does not have the setup this perf-lab
   * gives it (e.g. started by an older version without a password), or undefined when it does.
   */
  staleSetup?(timeoutMs: number): Promise<string | undefined>;
  /**
   * Entries of the service's state folder that setup.sh installed rather than the service
   * wrote (the broker's jars): `down --wipe` deletes the data and keeps these.
   */
  readonly installed?: readonly string[];
}
