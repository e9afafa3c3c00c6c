import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { CommunityConfig, SourceConfig } from '../../../shared/config/schema.ts';
import { CommentEvent } from '../../../shared/domain/comment.ts';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import type {
  Source,
  SourceContext,
  SourceOutcome,
  WebhookRequest,
} from '../../../shared/platforms/source.ts';

/** The instant every test runs at; fixtures are dated a few minutes before it. */
export const NOW = new Date('2026-11-20T10:00:00Z');
export const NOW_SECONDS = String(NOW.getTime() / 1000);

/** The example community (kept here rather than read from the shared YAML file other work edits). */
export const COMMUNITY = CommunityConfig.parse({
  id: 'velo-lumiere',
  name: 'Vélo Lumière',
  timezone: 'Europe/Paris',
  locale: 'fr',
  slaMinutes: 120,
  communityTeam: 'community',
  brandAccounts: {
    facebook: ['104857600000001'],
    instagram: ['17841400000000001'],
    slack: ['U0BRAND001'],
    discourse: ['velolumiere'],
    github: ['velolumiere-bot-free-team'],
    x: ['1400000000000000001'],
    reddit: ['VeloLumiere_Official'],
  },
  automatedAccounts: { slack: ['U0AUTOREPLY'] },
});

export function devSecret(sourceId: string): string {
  return `dev-secret-${sourceId}`;
}

export function context(
  sourceId: string,
  overrides: {
    options?: Record<string, unknown>;
    signingKey?: string;
    verifyToken?: string;
    now?: Date;
  } = {},
): SourceContext {
  return {
    source: SourceConfig.parse({
      id: sourceId,
      type: sourceId,
      community: COMMUNITY.id,
      secretName: `community-autopilot/sources/${sourceId}`,
      options: overrides.options ?? {},
    }),
    community: COMMUNITY,
    secret: {
      signingKey: overrides.signingKey ?? devSecret(sourceId),
      ...(overrides.verifyToken !== undefined ? { verifyToken: overrides.verifyToken } : {}),
    },
    now: overrides.now ?? NOW,
  };
}

export function fixture(source: string, name: string): Buffer {
  return readFileSync(join(import.meta.dirname, '../../fixtures/events', source, name));
}

/** A fixture as a fresh object, for tests that change one field. */
export function fixtureJson(source: string, name: string): Record<string, unknown> {
  return structuredClone(JSON.parse(fixture(source, name).toString('utf8')));
}

export function post(headers: Record<string, string>, rawBody: Buffer): WebhookRequest {
  return { method: 'POST', headers, query: {}, rawBody };
}

export function eventsOf(outcome: SourceOutcome) {
  expect(outcome.kind).toBe('events');
  if (outcome.kind !== 'events') throw new Error('unreachable');
  return outcome;
}

/** Runs a call that must fail, and returns what it threw. */
export function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Every path to a value inside a JSON document, used to mutate one field of a fixture at a time. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (value && typeof value === 'object') {
    return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  }
  return here;
}

function setPath(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

/**
 * Bodies for property tests: arbitrary bytes, arbitrary JSON, and each fixture with one field
 * (anywhere in it) replaced by arbitrary JSON — the last reaches deep into the parser.
 */
export function arbitraryBodies(fixtures: Buffer[]): fc.Arbitrary<Buffer> {
  const documents = fixtures.map((f) => JSON.parse(f.toString('utf8')) as unknown);
  const mutated = fc
    .constantFrom(...documents)
    .chain((doc) => fc.tuple(fc.constant(doc), fc.constantFrom(...paths(doc)), fc.jsonValue({ maxDepth: 3 })))
    .map(([doc, path, value]) => Buffer.from(JSON.stringify(setPath(doc, path, value)), 'utf8'));
  return fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')),
    mutated,
  );
}

/**
 * The property every source must hold: whatever correctly signed body arrives, it either yields
 * an outcome with a non-5xx status whose events satisfy the queue contract, or throws a 4xx error.
 */
export function assertNeverCrashes(
  source: Source,
  ctx: SourceContext,
  request: (body: Buffer) => WebhookRequest,
) {
  return (body: Buffer) => {
    let outcome: SourceOutcome;
    try {
      outcome = source.handle(request(body), ctx);
    } catch (error) {
      if (error instanceof AuthError || error instanceof ValidationError) return;
      throw error;
    }
    expect(outcome.status).toBeLessThan(500);
    if (outcome.kind === 'events') {
      for (const event of outcome.events) expect(CommentEvent.safeParse(event).success).toBe(true);
    }
  };
}
