import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.ts';
import { labDown } from './lab.ts';

describe('down --wipe', () => {
  it("deletes the services' data and keeps what setup.sh installed (the broker's jars and class archive)", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-wipe-'));
    const kafka = path.join(stateDir, 'kafka');
    for (const dir of ['libs', 'data/topic-0']) mkdirSync(path.join(kafka, dir), { recursive: true });
    writeFileSync(path.join(kafka, 'libs', 'kafka_2.13-9.9.9.jar'), '');
    writeFileSync(path.join(kafka, 'kafka-9.9.9.jsa'), '');
    writeFileSync(path.join(kafka, 'kafka.log'), 'old');
    mkdirSync(path.join(stateDir, 'mysql', 'data'), { recursive: true });
    // Nothing runs: only the wipe acts. Ports nobody listens on, so no probe can reach another lab.
    const config = await resolveConfig({ file: false, env: {}, flags: { stateDir, kafkaHome: kafka } });
    await labDown(config, { wipe: true });
    expect(existsSync(path.join(kafka, 'libs', 'kafka_2.13-9.9.9.jar'))).toBe(true);
    expect(existsSync(path.join(kafka, 'kafka-9.9.9.jsa'))).toBe(true);
    expect(existsSync(path.join(kafka, 'data'))).toBe(false);
    expect(existsSync(path.join(kafka, 'kafka.log'))).toBe(false);
    expect(existsSync(path.join(stateDir, 'mysql', 'data'))).toBe(false);
  });
});
