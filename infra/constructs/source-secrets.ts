import { Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SourceConfig } from '../../shared/config/schema.ts';
import { handSetSecret } from './hand-set-secret.ts';
import { pascalCase } from './names.ts';

export interface SourceSecretsProps {
  readonly sources: readonly SourceConfig[];
}

/**
 * One Secrets Manager secret per distinct `secretName` in the configuration. Deploy creates it
 * with a random plain-string value (a usable key for generic, GitHub and Discourse sources, where
 * the key is ours to choose); for Meta, Slack and X the operator puts the key the platform issued,
 * as a plain string or JSON `{"signingKey", "verifyToken"}`. Functions receive only the ARN.
 */
export class SourceSecrets extends Construct {
  /** source id → secret */
  readonly bySource: ReadonlyMap<string, Secret>;

  constructor(scope: Construct, id: string, props: SourceSecretsProps) {
    super(scope, id);
    const byName = new Map<string, Secret>();
    const bySource = new Map<string, Secret>();
    for (const source of props.sources) {
      let secret = byName.get(source.secretName);
      if (!secret) {
        secret = handSetSecret(this, pascalCase(source.id), {
          secretName: source.secretName,
          description: `Signing key of the community-autopilot source "${source.id}" (${source.type})`,
          passwordLength: 48,
          whyNotRotated:
            'The value is a webhook signing key shared with the platform (issued by it, or typed into its webhook settings): it must change on both sides at the same moment, which a rotation Lambda cannot do; rotate by hand with put-secret-value.',
        });
        byName.set(source.secretName, secret);
      }
      bySource.set(source.id, secret);
    }
    this.bySource = bySource;
  }

  /**
   * `{ sourceId: secretArn }` of the given sources as a JSON string, for the SOURCE_SECRETS
   * environment variable. Each function names its own sources: least privilege, not "all secrets".
   */
  arnsJson(sourceIds: readonly string[]): string {
    return Stack.of(this).toJsonString(
      Object.fromEntries(sourceIds.map((source) => [source, this.secretOf(source).secretArn])),
    );
  }

  /** Read access to the secrets of the given sources only (a secret shared by name is granted once). */
  grantRead(grantee: IGrantable, sourceIds: readonly string[]): void {
    for (const secret of new Set(sourceIds.map((source) => this.secretOf(source)))) secret.grantRead(grantee);
  }

  private secretOf(sourceId: string): Secret {
    const secret = this.bySource.get(sourceId);
    if (!secret) throw new Error(`no secret for source "${sourceId}"`);
    return secret;
  }
}
