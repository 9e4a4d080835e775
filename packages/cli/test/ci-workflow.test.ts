import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly shell?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, { readonly 'runs-on': string; readonly steps: readonly Step[] }>;
}

const workflow = parse(readFileSync(path.join(repo, 'docs', 'github-actions-perf-lab.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs)[0]!.steps;
const index = (match: (s: Step) => boolean, what: string): number => {
  const i = steps.findIndex(match);
  if (i < 0) throw new Error(`no step ${what}`);
  return i;
};
const runLines = (s: Step): string[] => (s.run ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
const uses = (action: string) => (s: Step) => s.uses?.startsWith(`${action}@`) === true;
const runs = (pattern: RegExp) => (s: Step) => runLines(s).some((l) => pattern.test(l));

/** The example CI job must work on a stock GitHub ubuntu runner as written. */
describe('docs/github-actions-perf-lab.yml', () => {
  it('has one job on ubuntu with read-only token permissions', () => {
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
    expect(Object.values(workflow.jobs)[0]!['runs-on']).toMatch(/^ubuntu-/);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs as root only the system-package step, which writes nothing in the checkout', () => {
    const sudoLines = steps.flatMap((s) => runLines(s).filter((l) => /\bsudo\b/.test(l)).map((l) => [s.name, l]));
    const apt = index(runs(/^sudo bash scripts\/setup\.sh --system-packages$/), 'installing the system packages as root');
    expect(sudoLines.every(([name]) => name === steps[apt]!.name), JSON.stringify(sudoLines)).toBe(true);
    // Nothing else under sudo: no npm, npx, or setup.sh doing everything (root-owned node_modules, .perf-lab).
    expect(sudoLines.map(([, l]) => l).filter((l) => !/^sudo (bash scripts\/setup\.sh --system-packages|systemctl stop mysql\.service \|\| true)$/.test(l!))).toEqual([]);
    const rest = index(runs(/^bash scripts\/setup\.sh$/), 'running the rest of setup.sh as the runner user');
    expect(rest).toBeGreaterThan(apt);
  });

  it('sets up Node 20 with the npm cache, Java 17+, and caches ~/.m2 on the Kafka pom', () => {
    const node = steps[index(uses('actions/setup-node'), 'setup-node')]!;
    expect(node.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
    const java = steps[index(uses('actions/setup-java'), 'setup-java')]!;
    expect(Number(java.with?.['java-version'])).toBeGreaterThanOrEqual(17);
    const cache = steps[index(uses('actions/cache'), 'actions/cache')]!;
    expect(cache.with?.['path']).toBe('~/.m2/repository');
    expect(String(cache.with?.['key'])).toContain("hashFiles('lab/kafka/pom.xml')");
    const setup = index(runs(/^bash scripts\/setup\.sh$/), 'setup');
    for (const before of [node, java, cache]) expect(steps.indexOf(before)).toBeLessThan(setup);
  });

  it('gates after the run even when the run failed, failing the step on the gate\'s exit code', () => {
    const lab = index(runs(/^npx perf-lab lab /), 'the lab run');
    const gate = index(runs(/npx perf-lab gate --baseline /), 'the gate');
    expect(gate).toBeGreaterThan(lab);
    const step = steps[gate]!;
    expect(step.if).toBe('always()');
    // GitHub adds -o pipefail only for an explicit `shell: bash`; without it tee's 0 would win.
    expect(step.shell).toBe('bash');
    expect(step.run).toMatch(/\| tee reports\/gate\.md >> "\$GITHUB_STEP_SUMMARY"/);
  });

  it('always keeps the gate\'s markdown and the run folder as an artifact', () => {
    const upload = steps[index(uses('actions/upload-artifact'), 'upload-artifact')]!;
    expect(upload.if).toBe('always()');
    const paths = String(upload.with?.['path']).split('\n').map((p) => p.trim()).filter(Boolean);
    expect(paths).toEqual(expect.arrayContaining(['reports/gate.md', 'reports/runs/']));
    expect(steps.indexOf(upload)).toBeGreaterThan(index(runs(/npx perf-lab gate /), 'the gate'));
  });

  it('every perf-lab command it runs is accepted by the CLI', () => {
    for (const line of steps.flatMap(runLines).filter((l) => l.startsWith('npx perf-lab '))) {
      const args = line.split('|')[0]!.trim().split(/\s+/).slice(2);
      // --help after the real flags: commander checks the values it has read (choices, parsers),
      // then prints help; unknown flags it lets through, so each must appear in that help.
      const r = spawnSync(process.execPath, [path.join(repo, 'packages/cli/bin/perf-lab.mjs'), ...args, '--help'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(r.stdout, `${line}: ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag}[\\s=]`));
    }
  });
});

describe('scripts/setup.sh --system-packages', () => {
  it('writes nothing in the checkout (no node_modules, no state folder) and refuses unknown options', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'perf-lab-setup-'));
    mkdirSync(path.join(copy, 'scripts'));
    copyFileSync(path.join(repo, 'scripts', 'setup.sh'), path.join(copy, 'scripts', 'setup.sh'));
    // This machine has the packages already: nothing to install, so this needs no root either.
    const r = spawnSync('bash', [path.join(copy, 'scripts', 'setup.sh'), '--system-packages'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(copy)).toEqual(['scripts']);
    expect(readdirSync(path.join(copy, 'scripts'))).toEqual(['setup.sh']);
    const bad = spawnSync('bash', [path.join(copy, 'scripts', 'setup.sh'), '--sytem-packages'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('setup: unknown option --sytem-packages');
  });
});
