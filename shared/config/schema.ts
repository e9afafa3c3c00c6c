import { z } from 'zod';
import { BusinessHoursConfig } from '../domain/business-hours.ts';
import { INTENTS, SENTIMENTS } from '../domain/classification.ts';
import { PLATFORMS } from '../domain/comment.ts';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes (at most 40)');

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris');

export const SOURCE_TYPES = [
  'generic',
  'meta',
  'slack',
  'discourse',
  'github',
  'x',
  'youtube',
  'reddit',
] as const;

export const CommunityConfig = z.object({
  id: Id,
  name: z.string().min(1),
  timezone: TimeZone,
  locale: z.enum(['fr', 'en']).default('en'),
  /** Account ids whose comments are the brand's own (their replies answer members), per platform. */
  brandAccounts: z.partialRecord(z.enum(PLATFORMS), z.array(z.string().min(1))).default({}),
  /** Accounts whose replies are automated (bots): they never count as the brand's answer. */
  automatedAccounts: z.partialRecord(z.enum(PLATFORMS), z.array(z.string().min(1))).default({}),
  /** The team that receives digests and welcomes. */
  communityTeam: Id,
  /** Minutes a member's question may wait for a first brand reply. */
  slaMinutes: z.number().int().positive().max(10_080),
  /** Opening hours (community time zone): when set, the SLA clock runs only while open. */
  businessHours: BusinessHoursConfig.optional(),
  /** Who hears about an item still unanswered at twice the SLA (the owning team hears at the SLA). */
  escalationTeam: Id.optional(),
  /** Send the community team a "welcome" item for each first-time poster. */
  welcomeNewMembers: z.boolean().default(true),
  /** Hour (0-23, community time zone) the daily digest is sent. */
  digestHour: z.number().int().min(0).max(23).default(8),
  /**
   * Amazon Comprehend on top of the local engine: `off` (no cost), `when-uncertain` (only the
   * fields the local engine is unsure of) or `always`. Comprehend is not offered in every region
   * (not in eu-west-3): `region` says where to call it.
   */
  classifier: z
    .object({
      comprehend: z.enum(['off', 'always', 'when-uncertain']).default('off'),
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
        .optional(),
    })
    .default({ comprehend: 'off' }),
});
export type CommunityConfig = z.infer<typeof CommunityConfig>;

export const SourceConfig = z.object({
  id: Id,
  type: z.enum(SOURCE_TYPES),
  community: Id,
  /** Name of the Secrets Manager secret holding the signing key (never the key itself). */
  secretName: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a valid Secrets Manager name'),
  /** Source-specific settings (channels to listen to, subreddit, video ids...). */
  options: z.record(z.string(), z.unknown()).default({}),
});
export type SourceConfig = z.infer<typeof SourceConfig>;

export const Subscription = z.discriminatedUnion('protocol', [
  z.object({ protocol: z.literal('email'), endpoint: z.email() }),
  z.object({ protocol: z.literal('https'), endpoint: z.url({ protocol: /^https$/ }) }),
  z.object({
    protocol: z.literal('sqs'),
    endpoint: z
      .string()
      .regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/, 'must be an SQS queue ARN'),
  }),
]);
export type Subscription = z.infer<typeof Subscription>;

export const TeamConfig = z.object({
  id: Id,
  name: z.string().min(1),
  subscriptions: z.array(Subscription).default([]),
});
export type TeamConfig = z.infer<typeof TeamConfig>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RuleConditions = z
  .object({
    community: z.array(Id).min(1).optional(),
    intent: z.array(z.enum(INTENTS)).min(1).optional(),
    sentiment: z.array(z.enum(SENTIMENTS)).min(1).optional(),
    language: z
      .array(z.string().regex(/^[a-z]{2}$/, 'must be ISO 639-1 codes'))
      .min(1)
      .optional(),
    platform: z.array(z.enum(PLATFORMS)).min(1).optional(),
    toxic: z.boolean().optional(),
    spam: z.boolean().optional(),
    /** Matches when any keyword occurs in the text (case- and accent-insensitive, whole words). */
    keywords: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type RuleConditions = z.infer<typeof RuleConditions>;

export const RoutingRule = z.object({
  name: z.string().min(1),
  when: RuleConditions,
  team: Id,
  priority: z.enum(PRIORITIES).default('normal'),
  /** Stop evaluating later rules once this one matched (e.g. spam goes to moderation only). */
  final: z.boolean().default(false),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const AutopilotConfig = z
  .object({
    communities: z.array(CommunityConfig).min(1),
    sources: z.array(SourceConfig).min(1),
    teams: z.array(TeamConfig).min(1),
    routing: z.array(RoutingRule).min(1),
    retention: z
      .object({
        /** Days raw comment text and author names are kept (GDPR); KPIs are kept. */
        // At least 14 days: SQS keeps a message (and its DLQ redrive) up to 14 days, and a comment
        // forgotten before its last redelivery would be counted again.
        commentTextDays: z
          .number()
          .int()
          .min(14, 'must be at least 14 days (the longest redelivery window)')
          .max(3650)
          .default(90),
      })
      .default({ commentTextDays: 90 }),
    /** Largest webhook body accepted, in bytes. */
    maxBodyBytes: z.number().int().positive().max(6_000_000).default(1_048_576),
  })
  .superRefine((config, ctx) => {
    const unique = (key: 'communities' | 'sources' | 'teams') => {
      const seen = new Set<string>();
      config[key].forEach((item, index) => {
        if (seen.has(item.id)) {
          ctx.addIssue({ code: 'custom', path: [key, index, 'id'], message: `duplicate id "${item.id}"` });
        }
        seen.add(item.id);
      });
    };
    unique('communities');
    unique('sources');
    unique('teams');
    const teams = new Set(config.teams.map((t) => t.id));
    const communities = new Set(config.communities.map((c) => c.id));
    config.communities.forEach((c, i) => {
      if (!teams.has(c.communityTeam)) {
        ctx.addIssue({
          code: 'custom',
          path: ['communities', i, 'communityTeam'],
          message: `unknown team "${c.communityTeam}"`,
        });
      }
    });
    config.sources.forEach((s, i) => {
      if (!communities.has(s.community)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'community'],
          message: `unknown community "${s.community}"`,
        });
      }
    });
    config.routing.forEach((r, i) => {
      if (!teams.has(r.team)) {
        ctx.addIssue({ code: 'custom', path: ['routing', i, 'team'], message: `unknown team "${r.team}"` });
      }
      r.when.community?.forEach((c, j) => {
        if (!communities.has(c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routing', i, 'when', 'community', j],
            message: `unknown community "${c}"`,
          });
        }
      });
    });
  });
export type AutopilotConfig = z.infer<typeof AutopilotConfig>;
