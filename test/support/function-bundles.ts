import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { createAutopilotStacks } from '../../infra/stacks/index.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';

/** One Lambda function's bundle as `cdk synth` writes it into the cloud assembly. */
export interface FunctionBundle {
  /** The folder under functions/ (the function's POWERTOOLS_SERVICE_NAME). */
  name: string;
  /** The asset folder: what is zipped and uploaded. */
  dir: string;
  /** The bundled code. */
  file: string;
  bytes: number;
  /**
   * Every input esbuild put into the bundle, relative to the project root. The source map names
   * them relative to the folder esbuild wrote into (`asset.<hash>-building`), a sibling of `dir`.
   */
  sources: string[];
  /**
   * The function's environment as deployed, each CloudFormation reference replaced by a placeholder
   * ARN (joins keep their shape, so a JSON map of topic ARNs stays valid JSON).
   */
  environment: Record<string, string>;
}

interface TemplateFunction {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: { Environment?: { Variables?: Record<string, unknown> } };
}

/**
 * Synthesizes both stacks with bundling on (esbuild, exactly as `cdk deploy` bundles) into
 * `outdir`, and answers the project's functions' bundles. CDK's own helper functions are left out.
 */
export function synthesizeBundles(config: AutopilotConfig, outdir: string): FunctionBundle[] {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  createAutopilotStacks(app, config, { region: 'eu-west-1', account: '123456789012' });
  const assembly = app.synth();
  const bundles: FunctionBundle[] = [];
  for (const stack of assembly.stacks) {
    const resources = (stack.template as { Resources: Record<string, TemplateFunction> }).Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const variables = resource.Properties?.Environment?.Variables ?? {};
      const name = variables.POWERTOOLS_SERVICE_NAME;
      const asset = resource.Metadata?.['aws:asset:path'];
      if (typeof name !== 'string' || typeof asset !== 'string') continue;
      const dir = join(assembly.directory, asset);
      const file = join(dir, 'index.mjs');
      const map = `${file}.map`;
      const mapped = existsSync(map)
        ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources
        : [];
      bundles.push({
        name,
        dir,
        file,
        bytes: statSync(file).size,
        sources: mapped.map((source) => relative(PROJECT_ROOT, resolve(dir, source))),
        environment: Object.fromEntries(
          Object.entries(variables).map(([key, value]) => [key, placeholder(value)]),
        ),
      });
    }
  }
  return bundles.sort((a, b) => a.name.localeCompare(b.name));
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A CloudFormation value with every `Ref` / `Fn::GetAtt` as a placeholder ARN and every join joined. */
function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(placeholder).join(join[0]);
  return 'arn:aws:placeholder:eu-west-1:123456789012:placeholder';
}
