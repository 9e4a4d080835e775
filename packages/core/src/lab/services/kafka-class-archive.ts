import { execFile } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * An AppCDS archive of the broker's classes (JDK 13+ dynamic archive), kept beside the jars it
 * was made from, so every lab on those jars (tests' private labs too) shares one. The broker loads and verifies several thousand classes on every start, most of its
 * start-up CPU on a busy machine; mapping them from an archive is what makes a restart after
 * kill -9 take seconds. The JVM writes the archive only when it exits cleanly (`perf-lab
 * down`), never after kill -9, so the first start of a lab runs without it.
 */
export interface ClassArchive {
  /** JVM flags for the next start: use the archive, or record one at exit when there is none. */
  flags(): string[];
  /**
   * Adopts an archive the last clean exit wrote, once the JVM accepts it for this class path:
   * a half-written file (a stop that outran its grace, two labs exiting at once) or one from
   * another JVM is dropped, and the next clean exit records again.
   */
  adoptPending(java: string, classpath: string): Promise<void>;
  /** Where the archive lives once adopted. */
  readonly file: string;
}

export function kafkaClassArchive(kafkaHome: string, kafkaVersion: string): ClassArchive {
  // Named after the broker version: jars from another setup.sh run get an archive of their own.
  const archive = path.join(kafkaHome, `kafka-${kafkaVersion}.jsa`);
  const pending = `${archive}.new`;
  return {
    file: archive,
    flags: () => (existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`] : [`-XX:ArchiveClassesAtExit=${pending}`]),
    async adoptPending(java, classpath) {
      if (!existsSync(pending)) return;
      try {
        // -Xshare:on makes an unusable archive an error instead of a silent slow start; a
        // truncated one aborts the JVM, whose crash report must not land in the user's folder.
        await run(java, ['-Xshare:on', `-XX:SharedArchiveFile=${pending}`, `-XX:ErrorFile=${path.join(tmpdir(), 'perf-lab-cds-check-%p.log')}`, '-cp', classpath, '-version'], { timeout: 30_000 });
        renameSync(pending, archive);
      } catch {
        rmSync(pending, { force: true });
      }
    },
  };
}
