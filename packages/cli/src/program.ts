import { readFileSync } from 'node:fs';
import { Argument, Command, Option } from 'commander';
import { MAX_SERVER_INSTANCES, RUNS_DIR, SCENARIO_NAMES, SERVER_SETTING_NAMES, SYSTEM_NAMES } from '@perf-lab/contract';
import { ENGINE_KINDS, HTTP_CLIENT_KINDS } from '@perf-lab/core';
import { addLoadFlags } from './load-flags.ts';
import { collect, dropFraction, nonNegativeInt, positiveInt, riseFraction } from './program-parsers.ts';
import { addGlobalOptions, jsonOption } from './global-options.ts';

type Action = (...args: never[]) => Promise<number>;

const FAULT_OPTION = [
  '--fault <spec>',
  'inject a fault during the load: kill-<target>@<at>[:<for>] (kill -9, restart after <for>) or pause-<target>@<at>[:<for>] ' +
    '(SIGSTOP, SIGCONT after <for>, default 10s); target server (server#N: instance N of --set instances=N), mysql, redis or kafka — ' +
    'only ones perf-lab manages (repeatable)',
  collect,
] as const;

const HOT_USERS_OPTION = [
  '--hot-users <n>', 'order scenario: every order goes to one of users 1..n, many at once for the same user (the per-user lock under contention)', positiveInt,
] as const;

/**
 * commander wiring only: each command's module is imported when it runs, so `perf-lab status`
 * does not load the engine or esbuild. An action resolves to its exit code.
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = addGlobalOptions(new Command('perf-lab'))
    .description('Load-test an e-commerce backend with k6 scripts, then prove it stayed correct.')
    .version(cliVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const lazy = (load: () => Promise<Action>) => async (...args: unknown[]) => {
    const action = await load();
    setExitCode(await (action as (...a: unknown[]) => Promise<number>)(...args));
  };

  addLoadFlags(program.command('lab'))
    .description('the full run: lab up → reference server → seed → load → audit → markdown report')
    .addOption(new Option('-s, --scenario <name>', 'scenario').choices(SCENARIO_NAMES).default('coupon'))
    .option('--set <key=value>', `reference-server setting: ${settingsHelp(SERVER_SETTING_NAMES)} (repeatable)`, collect)
    .option('--users <n>', 'users to seed (default 150000)', positiveInt)
    .option('--coupon-stock <n>', 'first-come coupon stock (default 100000)', nonNegativeInt)
    .option('--runs-dir <dir>', `where run folders go (default ${RUNS_DIR})`)
    .option(...HOT_USERS_OPTION)
    .option(...FAULT_OPTION)
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/full-run.ts')).fullRunCommand));
  program.command('seed')
    .description('reset and bulk-load users, coupons, products and carts; prime Redis; write the seed manifest')
    .option('--users <n>', 'users (default 150000)', positiveInt)
    .option('--balance <n>', 'starting balance of each user (default 1000000)', nonNegativeInt)
    .option('--coupon-stock <n>', 'first-come coupon stock (default 100000)', nonNegativeInt)
    .option('--coupon-holders <n>', 'users already holding the order coupon (default users / 10)', nonNegativeInt)
    .option('--products <n>', 'products (default 10)', positiveInt)
    .option('--product-stock <n>', 'stock of each product (default 10000)', nonNegativeInt)
    .option('--price <n>', 'price of each product (default 10000)', nonNegativeInt)
    .option('--keep', 'append instead of resetting previous seed data')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/seed.ts')).seedCommand));
  addLoadFlags(program.command('run'))
    .description(`bundle a scenario and run a load profile on the embedded engine; writes ${RUNS_DIR}/<time>-<scenario>-<profile>/`)
    .addArgument(new Argument('<scenario>', `scenario (${SCENARIO_NAMES.join(', ')}), or a k6 script file (.js, .ts) to run as \`perf-lab k6 run\` would`))
    .option('--runs-dir <dir>', `where run folders go (default ${RUNS_DIR})`)
    .addOption(new Option('--engine <name>', 'embedded, or k6: a k6 binary you installed yourself').choices(ENGINE_KINDS).default('embedded'))
    .option('--k6 <path>', 'the k6 binary for --engine k6 (default: k6 on PATH)')
    .addOption(new Option('--http-client <name>', 'the embedded engine\'s client for http:// targets: http1 (its own, the default) or undici').choices(HTTP_CLIENT_KINDS))
    .option(...HOT_USERS_OPTION)
    .option(...FAULT_OPTION)
    .option('--segment <index/count>', 'run only part INDEX (0-based) of COUNT load generators; join the parts with `perf-lab merge`')
    .option('--no-preflight', 'skip the checks before the load (services up, target answers the API, seed in the database)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/run.ts')).runCommand));
  program.command('merge')
    .description('join the parts of one test run on several load generators (`run --segment`, `k6 run --execution-segment … --out partial=DIR`) into one run folder')
    .argument('<dirs...>', 'the parts: run folders of `run --segment`, or folders of `--out partial=DIR`')
    .option('--runs-dir <dir>', `where the merged run folder goes (default ${RUNS_DIR})`)
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/merge.ts')).mergeCommand));
  program.command('k6')
    .description("k6's command line on the embedded engine: k6 run [k6 flags] script.js|script.ts, with k6's exit codes")
    .argument('[args...]', 'run, then the flags and script `k6 run` takes (see `perf-lab k6 run --help`)')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(lazy(async () => (await import('./commands/k6.ts')).k6Command));
  program.command('audit')
    .description('wait for Kafka lag and the outbox to drain, then check every invariant (exit 0 ok, 1 violated, 3 unknown)')
    .option('--run <dir>', 'run folder whose acknowledged operations are checked')
    .option('--latest', `use the newest run folder in ${RUNS_DIR}`)
    .addOption(new Option('--system <name>', 'only one system').choices(SYSTEM_NAMES))
    .option('--timeout <seconds>', 'how long to wait for the pipeline to drain', positiveInt, 120)
    .option('--set <key=value>', "the server's settings, when the run did not record them: strategy=, lock=, … (repeatable)", collect)
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/audit.ts')).auditCommand));
  program.command('report')
    .description('write report.md and SVG charts into a run folder (default: the newest)')
    .option('--run <dir>', 'run folder')
    .option('--compare-with <dir>', 'run to compare with (default: the previous one)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/report.ts')).reportCommand));
  program.command('gate')
    .description('CI gate: fail on threshold or audit failure, system errors, or regression against a baseline')
    .requiredOption('--baseline <file>', 'baseline JSON (created by --update-baseline)')
    .option('--run <dir>', 'run folder (default: the newest)')
    .option('--update-baseline', 'add this run to the baseline (unless it fails); the bar is the median of its runs')
    .option('--baseline-runs <n>', 'how many of the newest runs the baseline keeps (default 5)', positiveInt)
    .option('--rps-drop <fraction>', 'tolerated throughput drop, 0 to below 1 (default 0.3)', dropFraction)
    .option('--p95-rise <fraction>', 'tolerated p95 rise, ≥ 0 (default 1.0: up to twice the baseline)', riseFraction)
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/gate.ts')).gateCommand));
  addLoadFlags(program.command('compare'))
    .description('run one profile with two reference-server configurations (--a/--b KEY=VAL), audit both, compare (exit 1 when either audit is violated)')
    .addArgument(new Argument('<scenario>', 'scenario').choices(SCENARIO_NAMES))
    .option('--a <key=value>', 'setting of run A (repeatable)', collect)
    .option('--b <key=value>', 'setting of run B (repeatable)', collect)
    .option('--users <n>', 'users to seed (default 150000)', positiveInt)
    .option('--coupon-stock <n>', 'first-come coupon stock (default 100000)', nonNegativeInt)
    .option('--product-stock <n>', 'stock of each product (default 10000)', nonNegativeInt)
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/compare.ts')).compareCommand));
  program.command('serve')
    .description('run the reference server against the lab until Ctrl-C')
    .option('--set <key=value>', `setting: ${settingsHelp(SERVER_SETTING_NAMES.filter((s) => s !== 'cart-index'))} (repeatable)`, collect)
    .option('--instances <n>', `reference-server processes sharing the lab, each on its own port (1..${MAX_SERVER_INSTANCES}; same as --set instances=N)`, positiveInt)
    .action(lazy(async () => (await import('./commands/serve.ts')).serveCommand));
  program.command('up')
    .description('start the local lab (MariaDB, Redis, Kafka) under the state folder; waits until each answers')
    .option('--with <service...>', 'also start an optional service: prometheus (remote-write receiver on 127.0.0.1:19090, PERF_LAB_PROMETHEUS_PORT)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/up.ts')).upCommand));
  program.command('down')
    .description('stop the services perf-lab started (by pid file); leaves external services alone')
    .option('--wipe', 'also delete their data')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/down.ts')).downCommand));
  program.command('init')
    .description('write a commented perf-lab.config.mjs proposing where the audit\'s concepts live in your MySQL schema (information_schema)')
    .option('--force', 'overwrite an existing perf-lab.config.mjs')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/init.ts')).initCommand));
  program.command('status')
    .description('show each service with address, pid, version and health (exit 1 when one is down)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/status.ts')).statusCommand));
  program.command('exec')
    .description('run a command with the lab\'s addresses (PERF_LAB_*, the Redis URL with its password) in its environment: perf-lab exec -- <command> [args…]')
    .argument('<command...>', 'the command and its arguments, after --')
    .action(lazy(async () => (await import('./commands/exec.ts')).execCommand));
  program.command('logs')
    .description('show the tail of a managed service log')
    .argument('<service>', 'mysql, redis or kafka')
    .option('-n, --lines <n>', 'number of lines', positiveInt, 50)
    .action(lazy(async () => (await import('./commands/logs.ts')).logsCommand));
  return program;
}

function settingsHelp(names: readonly string[]): string {
  return names.map((n) => `${n}=`).join(', ');
}

function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
