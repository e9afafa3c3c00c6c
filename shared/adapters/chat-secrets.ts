import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ChatSecretStore } from '../core/ports.ts';
import { DependencyError, NotFoundError } from '../domain/errors.ts';

/**
 * Chat target credentials (webhook URLs, bot tokens) in Secrets Manager, by `<team>/<target id>`,
 * cached five minutes per warm function: a replaced webhook is picked up within that.
 */
export class SecretsManagerChatSecrets implements ChatSecretStore {
  private readonly provider: SecretsProvider;

  constructor(
    client: SecretsManagerClient,
    private readonly secretArns: Readonly<Record<string, string>>,
  ) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  async chatSecret(team: string, targetId: string): Promise<string> {
    const key = `${team}/${targetId}`;
    const arn = this.secretArns[key];
    if (!arn) throw new NotFoundError(`no secret is configured for chat target ${key}`);
    let value: unknown;
    try {
      value = await this.provider.get(arn, { maxAge: 300 });
    } catch (cause) {
      throw new DependencyError(`reading the secret of chat target ${key} failed`, { cause });
    }
    if (typeof value !== 'string' || !value.trim()) {
      throw new DependencyError(`the secret of chat target ${key} is empty or not a string`);
    }
    return value;
  }
}
