import { Command, Option } from 'commander';
import { resolveConfig, type ConfigInput, type PerfLabConfig } from '@perf-lab/core';
import { createOutput, type Output } from './output.ts';

/** Options every command accepts: where the lab lives and how to print. */
export interface GlobalOptions {
  config?: string;
  stateDir?: string;
  mysqlUrl?: string;
  redisUrl?: string;
  kafkaBrokers?: string;
  target?: string;
  manage?: string;
  color: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--config <file>', 'config file (default: perf-lab.config.{json,mjs,js,ts} in the current folder)')
    .option('--state-dir <dir>', 'where managed services keep data, logs and pid files (default .perf-lab)')
    .option('--mysql-url <url>', 'MySQL URL (env PERF_LAB_MYSQL_URL); setting it makes MySQL external unless --manage names it')
    .option('--redis-url <url>', 'Redis URL (env PERF_LAB_REDIS_URL)')
    .option('--kafka-brokers <list>', 'Kafka brokers host:port,… (env PERF_LAB_KAFKA_BROKERS)')
    .option('--target <url>', 'base URL of the API under test (env PERF_LAB_TARGET_URL)')
    .option('--manage <services>', 'services perf-lab starts and stops, e.g. mysql,redis (env PERF_LAB_MANAGE)')
    .addOption(new Option('--no-color', 'disable colour (also NO_COLOR, or when not a terminal)'));
}

export function jsonOption(): Option {
  return new Option('--json', 'print one JSON document on stdout');
}

export interface CommandContext {
  readonly config: PerfLabConfig;
  readonly out: Output;
}

export async function commandContext(command: Command, json: boolean): Promise<CommandContext> {
  const g = command.optsWithGlobals<GlobalOptions>();
  const flags: ConfigInput = {
    stateDir: g.stateDir, mysqlUrl: g.mysqlUrl, redisUrl: g.redisUrl,
    kafkaBrokers: g.kafkaBrokers, targetUrl: g.target, manage: g.manage,
  };
  const out = createOutput({ json, colorFlag: g.color, env: process.env, isTTY: Boolean(process.stdout.isTTY) });
  const config = await resolveConfig({ flags, ...(g.config ? { file: g.config } : {}) });
  return { config, out };
}
