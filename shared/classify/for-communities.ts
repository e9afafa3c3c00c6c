import { ComprehendAdapter } from '../adapters/comprehend.ts';
import type { CommunityConfig } from '../config/schema.ts';
import { type CascadeClassifier, createCascadeClassifier } from './cascade.ts';
import { createComprehendEngine } from './comprehend-engine.ts';
import { createLocalClassifier } from './local-engine.ts';

/**
 * One cascade per community (each has its own Comprehend policy and region), built lazily and kept
 * for the life of the function. With `comprehendAvailable: false` (the local stack) every community
 * runs on the local engine alone.
 */
export function communityClassifiers(options: {
  comprehendAvailable: boolean;
  onError?: (op: string, error: unknown) => void;
}) {
  const local = createLocalClassifier();
  const engines = new Map<string, ReturnType<typeof createComprehendEngine>>();
  const cascades = new Map<string, CascadeClassifier>();
  return {
    classifierFor(community: CommunityConfig): CascadeClassifier {
      let cascade = cascades.get(community.id);
      if (!cascade) {
        const policy = options.comprehendAvailable ? community.classifier.comprehend : 'off';
        const region = community.classifier.region ?? process.env.AWS_REGION ?? 'eu-west-1';
        let comprehend = engines.get(region);
        if (policy !== 'off' && !comprehend) {
          comprehend = createComprehendEngine({
            api: new ComprehendAdapter({ region, maxAttempts: 2, timeoutMs: 3000 }),
            ...(options.onError ? { onError: options.onError } : {}),
          });
          engines.set(region, comprehend);
        }
        cascade = createCascadeClassifier({
          local,
          policy,
          ...(comprehend && policy !== 'off' ? { comprehend } : {}),
        });
        cascades.set(community.id, cascade);
      }
      return cascade;
    },
    /** Comprehend units spent since this function started, all communities together. */
    unitsSpent(): number {
      return [...cascades.values()].reduce((sum, c) => sum + c.usage().cumulative.total, 0);
    },
  };
}
