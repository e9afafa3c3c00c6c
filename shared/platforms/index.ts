import { DiscourseOptions, discourseSource } from './discourse.ts';
import { genericSource } from './generic.ts';
import { GithubOptions, githubSource } from './github.ts';
import { metaSource } from './meta.ts';
import type { PollSource } from './pollers/poller.ts';
import { RedditOptions, redditPoller } from './reddit.ts';
import { SlackOptions, slackSource } from './slack.ts';
import type { Source } from './source.ts';
import { xSource } from './x.ts';
import { YoutubeOptions, youtubePoller } from './youtube.ts';

/** Every source type the product supports: one file per platform, registered here. */
export const SOURCES: Readonly<Record<string, Source>> = {
  generic: genericSource,
  meta: metaSource,
  slack: slackSource,
  discourse: discourseSource,
  github: githubSource,
  x: xSource,
};

/** Schemas of `options` per source type, for validating the config at start (types absent here take none). */
export const SOURCE_OPTIONS = {
  slack: SlackOptions,
  discourse: DiscourseOptions,
  github: GithubOptions,
  youtube: YoutubeOptions,
  reddit: RedditOptions,
} as const;

/** Source types without webhooks, read by a scheduled poller (see pollers/poller.ts). */
export const POLLERS: Readonly<Record<string, PollSource>> = {
  youtube: youtubePoller,
  reddit: redditPoller,
};
