import type { ComprehendApi } from '../adapters/comprehend.ts';
import type { CommunityConfig } from '../config/schema.ts';
import { type CascadeClassifier, createCascadeClassifier } from './cascade.ts';
import { createComprehendEngine } from './comprehend-engine.ts';
import { createLocalClassifier } from './local-engine.ts';

export interface CommunityClassifierOptions {
  /**
   * Builds the Comprehend client of a region, once per region. Without it (the local runtime, tests)
   * every community runs on the local engine alone, whatever its `classifier.comprehend` says.
   */
  comprehend?: (region: string) => ComprehendApi;
  onError?: (op: string, error: unknown) => void;
}

export interface CommunityClassifiers {
  classifierFor(community: CommunityConfig): CascadeClassifier;
  /** Comprehend units spent since this function started, all communities together. */
  unitsSpent(): number;
}

/**
 * One cascade per community (each has its own Comprehend policy and region), built lazily and kept
 * for the life of the function.
 */
export function communityClassifiers(options: CommunityClassifierOptions = {}): CommunityClassifiers {
  const local = createLocalClassifier();
  const engines = new Map<string, ReturnType<typeof createComprehendEngine>>();
  const cascades = new Map<string, CascadeClassifier>();
  return {
    classifierFor(community: CommunityConfig): CascadeClassifier {
      let cascade = cascades.get(community.id);
      if (!cascade) {
        const policy = options.comprehend ? community.classifier.comprehend : 'off';
        const region = community.classifier.region ?? process.env.AWS_REGION ?? 'eu-west-1';
        let comprehend = engines.get(region);
        if (policy !== 'off' && options.comprehend && !comprehend) {
          comprehend = createComprehendEngine({
            api: options.comprehend(region),
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
    unitsSpent(): number {
      return [...cascades.values()].reduce((sum, c) => sum + c.usage().cumulative.total, 0);
    },
  };
}
