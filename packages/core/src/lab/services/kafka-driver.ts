import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { PerfLabConfig } from '../../config/config.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';
import { kafkaClassArchive } from './kafka-class-archive.ts';

const run = promisify(execFile);

/** The broker version from the jar setup.sh resolved, e.g. kafka_2.13-4.1.1.jar → 4.1.1. */
export function installedKafkaVersion(home: string): string | undefined {
  const libs = path.join(home, 'libs');
  if (!existsSync(libs)) return undefined;
  const jar = readdirSync(libs).find((f) => /^kafka_2\.\d+-[\d.]+\.jar$/.test(f));
  return jar ? /-([\d.]+)\.jar$/.exec(jar)?.[1] : undefined;
}

export function kafkaDriver(config: PerfLabConfig): ServiceDriver {
  const { kafka, stateDir } = config;
  const dir = path.join(stateDir, 'kafka');
  const dataDir = path.join(dir, 'data');
  const propsFile = path.join(dir, 'server.properties');
  const log4jFile = path.join(dir, 'log4j2.yaml');
  const classpath = path.join(kafka.home, 'libs', '*');
  const address = `${kafka.host}:${kafka.port}`;
  const bind = kafka.host === 'localhost' ? '127.0.0.1' : kafka.host;
  const java = () => findBinary(['java']);
  const classArchive = kafkaClassArchive(kafka.home, installedKafkaVersion(kafka.home) ?? 'unknown');

  function writeConfig(): void {
    mkdirSync(dir, { recursive: true });
    // Single-node KRaft: one process is broker and controller; every internal topic has
    // replication factor 1, or consumer groups never get a coordinator.
    writeFileSync(propsFile, [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${bind}:${kafka.controllerPort}`,
      `listeners=PLAINTEXT://${bind}:${kafka.port},CONTROLLER://${bind}:${kafka.controllerPort}`,
      `advertised.listeners=PLAINTEXT://${bind}:${kafka.port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      // After a kill -9 the controller (same process, replaying its log) still counts the dead
      // broker's session as live and refuses the new incarnation (DUPLICATE_BROKER_REGISTRATION)
      // until that session expires: 9 s by default, retried every heartbeat interval. A 3 s
      // session with 500 ms heartbeats cuts a broker restart by ~7 s; a live broker that misses
      // heartbeats for 3 s is only fenced until its next one.
      'broker.heartbeat.interval.ms=500',
      'broker.session.timeout.ms=3000',
      // The controller appends a no-op record every 500 ms and replays its whole log on start
      // until a snapshot covers it (hourly by default): a snapshot a minute keeps that replay short.
      'metadata.log.max.snapshot.interval.ms=60000',
      'auto.create.topics.enable=true',
      '',
    ].join('\n'));
    writeFileSync(log4jFile, [
      'Configuration:',
      '  Appenders:',
      '    Console:',
      '      name: STDOUT',
      '      PatternLayout:',
      '        pattern: "[%d] %p %m (%c)%n"',
      '  Loggers:',
      '    Root:',
      '      level: INFO',
      '      AppenderRef:',
      '        - ref: STDOUT',
      '',
    ].join('\n'));
  }

  async function probe(timeoutMs: number): Promise<string> {
    const admin = new Kafka({
      clientId: 'perf-lab-probe', brokers: [...kafka.brokers], connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs, retry: { retries: 0 }, logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('metadata lists no broker');
      return installedKafkaVersion(kafka.home) ?? 'unknown';
    } finally {
      await admin.disconnect();
    }
  }

  return {
    name: 'kafka',
    address,
    // The default Kafka home is this folder: its jars and their class archive are no data.
    ...(path.resolve(kafka.home) === path.resolve(dir) ? { installed: ['libs', path.basename(classArchive.file)] } : {}),
    process: { pidFile: path.join(dir, 'kafka.pid'), logFile: path.join(dir, 'kafka.log'), marker: propsFile },
    missingInstall() {
      if (!java()) return 'Java 17+ is not installed — needed to run the Kafka broker (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`)';
      if (!installedKafkaVersion(kafka.home)) {
        return `the Kafka broker jars are not in ${path.join(kafka.home, 'libs')} — run \`bash scripts/setup.sh\` (it resolves them with Maven: \`mvn -f lab/kafka/pom.xml dependency:copy-dependencies\`)`;
      }
      return undefined;
    },
    async prepare() {
      writeConfig();
      const javaBin = java()!;
      await classArchive.adoptPending(javaBin, classpath);
      if (existsSync(path.join(dataDir, 'meta.properties'))) return;
      const { stdout } = await run(javaBin, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid']);
      await run(javaBin, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', stdout.trim(), '-c', propsFile]);
    },
    spawnSpec() {
      return {
        command: java()!,
        args: [
          // Start-up over peak speed: a lab broker restarts after faults and carries a light load.
          // C1 only (TieredStopAtLevel=1) spends a fraction of C2's compile CPU in the first seconds;
          // the serial collector starts no GC worker threads and suits a small heap.
          '-Xms256m', '-Xmx1g', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true',
          ...classArchive.flags(),
          `-Dlog4j2.configurationFile=${log4jFile}`, `-Dkafka.logs.dir=${dir}`,
          '-cp', classpath, 'kafka.Kafka', propsFile,
        ],
      };
    },
    ready: probe,
    probe,
  };
}
