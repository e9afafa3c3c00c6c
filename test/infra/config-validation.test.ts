import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';
import { EXAMPLE_CONFIG_PATH } from './synth.ts';

const dir = mkdtempSync(join(tmpdir(), 'autopilot-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped example with one line changed, written to its own file. */
function writeExampleWith(name: string, from: string, to: string): string {
  const example = readFileSync(EXAMPLE_CONFIG_PATH, 'utf8');
  if (!example.includes(from)) throw new Error(`the example config has no "${from}": update this fixture`);
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, example.replace(from, to));
  return path;
}

/** One routing condition misspelled (`intnet` for `intent`). */
const misspelled = () =>
  writeExampleWith('misspelled', 'when: { intent: [question] }', 'when: { intnet: [question] }');
/** The community's escalation team names a team that does not exist. */
const unknownEscalationTeam = () =>
  writeExampleWith('unknown-escalation-team', 'escalationTeam: community', 'escalationTeam: sales');

const ESCALATION_ISSUE = 'communities.0.escalationTeam: unknown team "sales"';

/** Runs an entry point the way `cdk synth` and `npm start` do, with `config` as AUTOPILOT_CONFIG. */
function run(entryPoint: string, config: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', entryPoint], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      AUTOPILOT_CONFIG: config,
      CDK_OUTDIR: join(dir, 'cdk.out'),
      // Should the check ever let the local stack start, it must not take port 3000 or the repo's .data.
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('configuration validation at synth and at start', () => {
  it('rejects a misspelled field with a message naming its path', () => {
    const path = misspelled();

    const load = () => loadConfigFile(path);

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/routing\.\d+\.when: .*intnet/);
  });

  it('stops the CDK app with exit code 1 and the field in the message', () => {
    const result = run('infra/app.ts', misspelled());

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/routing\.\d+\.when: .*intnet/);
  });

  it('rejects an unknown escalation team naming the field and the team', () => {
    const path = unknownEscalationTeam();

    expect(() => loadConfigFile(path)).toThrow(ESCALATION_ISSUE);
  });

  it('stops the CDK app on an unknown escalation team, naming the field and the team', () => {
    const result = run('infra/app.ts', unknownEscalationTeam());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(ESCALATION_ISSUE);
  });

  it('stops `npm start` on an unknown escalation team before anything starts, naming the field and the team', () => {
    const result = run('infra/local/main.ts', unknownEscalationTeam());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(ESCALATION_ISSUE);
    expect(result.stdout).not.toContain('is running on');
  });
});
