import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findBinary } from './find-binary.ts';
import { kafkaClassArchive } from './kafka-class-archive.ts';

const run = promisify(execFile);

/** A real JVM records, checks and maps each archive (the lab needs Java for Kafka anyway). */
describe('kafkaClassArchive', () => {
  const java = findBinary(['java']);
  if (!java) throw new Error('Java is not installed — the lab needs it for the Kafka broker');
  const setup = () => {
    const home = mkdtempSync(path.join(tmpdir(), 'perf-lab-cds-'));
    const classpath = path.join(home, 'classes');
    mkdirSync(classpath);
    return { home, classpath, archive: kafkaClassArchive(home, '9.9.9') };
  };
  // What the broker does with the flags: start, exit cleanly, leaving the archive behind.
  const runJvm = (flags: string[], classpath: string) => run(java, [...flags, '-cp', classpath, '-version']);

  it('records an archive at the first clean exit, adopts it, then starts from it', async () => {
    const { home, classpath, archive } = setup();
    const recording = archive.flags();
    expect(recording).toEqual([`-XX:ArchiveClassesAtExit=${path.join(home, 'kafka-9.9.9.jsa.new')}`]);
    await runJvm(recording, classpath);
    await archive.adoptPending(java, classpath);
    expect(existsSync(path.join(home, 'kafka-9.9.9.jsa.new'))).toBe(false);
    const using = archive.flags();
    expect(using).toEqual([`-XX:SharedArchiveFile=${path.join(home, 'kafka-9.9.9.jsa')}`]);
    // -Xshare:on fails unless the JVM really maps the archive.
    await expect(runJvm(['-Xshare:on', ...using], classpath)).resolves.toBeDefined();
  }, 60_000);

  it('drops a half-written archive and records again', async () => {
    const { home, classpath, archive } = setup();
    const pending = path.join(home, 'kafka-9.9.9.jsa.new');
    await runJvm(archive.flags(), classpath);
    truncateSync(pending, Math.floor(statSync(pending).size / 2));
    await archive.adoptPending(java, classpath);
    expect(existsSync(pending)).toBe(false);
    expect(existsSync(path.join(home, 'kafka-9.9.9.jsa'))).toBe(false);
    expect(archive.flags()).toEqual([`-XX:ArchiveClassesAtExit=${pending}`]);
  }, 60_000);
});
