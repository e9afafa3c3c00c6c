import { parseSourceSecret } from '../../shared/adapters/secrets.ts';
import type { SecretStore } from '../../shared/core/ports.ts';
import type { SourceSecret } from '../../shared/platforms/source.ts';

/**
 * The local runtime's secrets: `dev-secret-<source id>` (and Meta's `dev-verify-token`), or the
 * value of AUTOPILOT_SECRET_<SOURCE_ID> when set, so anyone can sign a request with curl and
 * openssl. It lives here, outside functions/ and shared/, so no Lambda bundle can contain it
 * (test/infra/bundles.test.ts checks).
 */
export class DevSecretStore implements SecretStore {
  async sourceSecret(sourceId: string): Promise<SourceSecret> {
    const override = process.env[devSecretVariable(sourceId)];
    return override
      ? parseSourceSecret(override)
      : { signingKey: `dev-secret-${sourceId}`, verifyToken: 'dev-verify-token' };
  }
}

export function devSecretVariable(sourceId: string): string {
  return `AUTOPILOT_SECRET_${sourceId.toUpperCase().replace(/-/g, '_')}`;
}
