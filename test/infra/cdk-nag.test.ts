import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { buildStacks, exampleConfig } from './synth.ts';

/** Every acknowledgement in the tree as `path: rule id → reason`. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

function violations(root: IConstruct & { node: { root: IConstruct } }) {
  const report = new AwsSolutionsChecks(root).validateScope(root);
  return report.violations.map(
    (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}

/** The example configuration with the Comprehend cascade on for its community. */
function comprehendConfig(): AutopilotConfig {
  const config = structuredClone(exampleConfig());
  for (const community of config.communities) community.classifier = { comprehend: 'when-uncertain' };
  return config;
}

describe('cdk-nag AwsSolutions', () => {
  const { app } = buildStacks();
  app.synth();

  it('reports no unacknowledged error or warning', () => {
    const findings = violations(app);

    expect(findings).toEqual([]);
  });

  it('acknowledges only the reviewed rules, each with a specific written reason', () => {
    const acks = acknowledgements(app);

    const rules = [
      ...new Set(acks.map((a) => a.id.replace(/\[Resource::<[^>]+>/, '[Resource::<fn>'))),
    ].sort();
    expect(rules).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<fn>:*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(80);
    expect(acks.filter((a) => a.path.includes('ComprehendPolicy'))).toEqual([]);
  });

  describe('with a community using Comprehend', () => {
    const { app: comprehendApp } = buildStacks(comprehendConfig());
    comprehendApp.synth();

    it('reports no unacknowledged error or warning', () => {
      const findings = violations(comprehendApp);

      expect(findings).toEqual([]);
    });

    it('acknowledges Resource "*" on the Comprehend policy alone, with the no-resource-level reason', () => {
      const acks = acknowledgements(comprehendApp).filter((a) => a.path.includes('Comprehend'));

      expect(acks.map((a) => `${a.path.replace(/^.*\/ProcessComments\//, '')} ${a.id}`)).toEqual([
        'ComprehendPolicy AwsSolutions-IAM5[Resource::*]',
      ]);
      expect(acks[0]?.reason).toMatch(/Comprehend.*no resource-level permissions/);
    });
  });

  it('flags a queue that accepts plain HTTP, so a regression cannot pass unnoticed', () => {
    const probe = new App();
    const stack = new Stack(probe, 'Probe');
    new Queue(stack, 'Plain', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: false });

    const report = new AwsSolutionsChecks(probe).validateScope(probe);

    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SQS4');
  });
});
