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

/** The shipped example with one routing condition misspelled (`intnet` for `intent`). */
function writeMisspelledConfig(): string {
  const text = readFileSync(EXAMPLE_CONFIG_PATH, 'utf8').replace(
    'when: { intent: [question] }',
    'when: { intnet: [question] }',
  );
  if (!text.includes('intnet')) throw new Error('the example config changed: update this fixture');
  const path = join(dir, 'misspelled.yaml');
  writeFileSync(path, text);
  return path;
}

describe('configuration validation at synth', () => {
  it('rejects a misspelled field with a message naming its path', () => {
    const path = writeMisspelledConfig();

    const load = () => loadConfigFile(path);

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/routing\.\d+\.when: .*intnet/);
  });

  it('stops the CDK app with exit code 1 and the field in the message', () => {
    const path = writeMisspelledConfig();

    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, AUTOPILOT_CONFIG: path, CDK_OUTDIR: join(dir, 'cdk.out') },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/routing\.\d+\.when: .*intnet/);
  });
});
