import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../core/ports.ts';
import { DependencyError, NotFoundError } from '../domain/errors.ts';
import type { SourceSecret } from '../platforms/source.ts';

/**
 * A secret value is either the signing key itself or JSON `{"signingKey": "...", "verifyToken": "..."}`
 * (Meta), `{"signingKey": "...", "botToken": "xoxb-..."}` (Slack, to look up author names).
 */
export function parseSourceSecret(value: string): SourceSecret {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    let parsed: Partial<SourceSecret>;
    try {
      parsed = JSON.parse(trimmed) as Partial<SourceSecret>;
    } catch {
      // The parser's message quotes the text: never let a secret reach a log.
      throw new DependencyError('the source secret starts with "{" but is not valid JSON');
    }
    if (typeof parsed.signingKey !== 'string' || parsed.signingKey.length === 0) {
      throw new DependencyError('the source secret JSON has no "signingKey"');
    }
    for (const field of ['verifyToken', 'botToken'] as const) {
      if (parsed[field] !== undefined && typeof parsed[field] !== 'string') {
        throw new DependencyError(`the source secret's "${field}" must be a string`);
      }
    }
    return {
      signingKey: parsed.signingKey,
      ...(parsed.verifyToken ? { verifyToken: parsed.verifyToken } : {}),
      ...(parsed.botToken ? { botToken: parsed.botToken } : {}),
    };
  }
  return { signingKey: trimmed };
}

/** Secrets Manager, cached for five minutes per warm function (a rotated key is picked up within that). */
export class SecretsManagerStore implements SecretStore {
  private readonly provider: SecretsProvider;

  constructor(
    client: SecretsManagerClient,
    private readonly secretArns: Readonly<Record<string, string>>,
  ) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  async sourceSecret(sourceId: string): Promise<SourceSecret> {
    const arn = this.secretArns[sourceId];
    if (!arn) throw new NotFoundError(`no secret is configured for source "${sourceId}"`);
    let value: string | undefined;
    try {
      value = (await this.provider.get(arn, { maxAge: 300 })) as string | undefined;
    } catch (cause) {
      throw new DependencyError(`reading the secret of source "${sourceId}" failed`, { cause });
    }
    if (typeof value !== 'string')
      throw new DependencyError(`the secret of source "${sourceId}" is not a string`);
    return parseSourceSecret(value);
  }
}
