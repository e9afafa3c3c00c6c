import { genericSource } from './generic.ts';
import type { Source } from './source.ts';

/** Every source type the product supports: one file per platform, registered here. */
export const SOURCES: Readonly<Record<string, Source>> = {
  generic: genericSource,
};
