import * as z from 'zod';
import { BusinessHoursConfig } from '../domain/business-hours.ts';
import { INTENTS, SENTIMENTS } from '../domain/classification.ts';
import { PLATFORMS, type Platform } from '../domain/comment.ts';

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
export type SourceType = (typeof SOURCE_TYPES)[number];

/**
 * The platforms whose comments each source type delivers (a Meta source: a Page's Facebook feed and
 * its Instagram account). Kept here rather than read from the platform files so that the schema
 * never imports them; a unit test holds the two in step.
 */
export const SOURCE_PLATFORMS: Readonly<Record<SourceType, readonly Platform[]>> = {
  generic: ['generic'],
  meta: ['facebook', 'instagram'],
  slack: ['slack'],
  discourse: ['discourse'],
  github: ['github'],
  x: ['x'],
  youtube: ['youtube'],
  reddit: ['reddit'],
};

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

const SecretName = z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a valid Secrets Manager name');

/**
 * Where a team's notifications are posted besides its SNS subscribers. The credentials (webhook
 * URLs, bot tokens) live in Secrets Manager under `secretName`; this file only names the secret.
 * `id` tells a team's targets apart (default: the type); it keys each delivery with the
 * notification id, so one notification is posted once per target.
 */
export const ChatTarget = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('slack'),
      id: Id.default('slack'),
      /**
       * Secret: an incoming-webhook URL (`https://hooks.slack.com/services/…`), or JSON
       * `{"botToken": "xoxb-…", "channel": "C…"}` to post with chat.postMessage.
       */
      secretName: SecretName,
      /**
       * Add the Mark handled / Assign to me / Not toxic buttons. Needs the Slack app's
       * interactivity request URL set to `<api>/slack/interactions`, signed with the secret of
       * the Slack source `signingSource` (default: the community's Slack source).
       */
      interactive: z.boolean().default(false),
      signingSource: Id.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('teams'),
      id: Id.default('teams'),
      /** Secret: the URL of a Teams Workflows "When a Teams webhook request is received" flow. */
      secretName: SecretName,
    })
    .strict(),
  z
    .object({
      type: z.literal('chatbot'),
      id: Id.default('chatbot'),
    })
    .strict(),
]);
export type ChatTarget = z.infer<typeof ChatTarget>;

export const TeamConfig = z.object({
  id: Id,
  name: z.string().min(1),
  subscriptions: z.array(Subscription).default([]),
  /** Slack, Microsoft Teams and Amazon Q Developer in chat applications (AWS Chatbot) channels. */
  chat: z.array(ChatTarget).default([]),
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

const AutopilotConfigShape = z.object({
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
  /**
   * Base URL of the console, for the "Open in the console" links of chat notifications
   * (`<consoleUrl>/communities/<community>/comments/<comment id>`). No link when unset.
   */
  consoleUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export const AutopilotConfig = AutopilotConfigShape.superRefine(checkReferences);
export type AutopilotConfig = z.infer<typeof AutopilotConfig>;

type ParsedConfig = z.output<typeof AutopilotConfigShape>;

/**
 * Every id the file refers to must be defined in it, and every id defined once: a misspelled team
 * or community would otherwise pass validation and fail at run time (every SLA watch run, forever).
 * Each issue names the field path and the value, as zod's own issues do.
 */
function checkReferences(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });

  const unique = <T>(
    key: string | (string | number)[],
    items: readonly T[],
    field: 'id' | 'name',
    value: (item: T) => string,
  ) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const v = value(item);
      if (seen.has(v)) issue([...[key].flat(), index, field], `duplicate ${field} "${v}"`);
      seen.add(v);
    });
  };
  unique('communities', config.communities, 'id', (c) => c.id);
  unique('sources', config.sources, 'id', (s) => s.id);
  unique('teams', config.teams, 'id', (t) => t.id);
  // Rule names identify the rule in every routed notification ("routed by rule …").
  unique('routing', config.routing, 'name', (r) => r.name);

  const teams = new Set(config.teams.map((t) => t.id));
  const communities = new Set(config.communities.map((c) => c.id));
  const platformsOf = (communityIds: ReadonlySet<string> | undefined) =>
    new Set(
      config.sources
        .filter((s) => !communityIds || communityIds.has(s.community))
        .flatMap((s) => SOURCE_PLATFORMS[s.type]),
    );
  const team = (path: (string | number)[], id: string | undefined) => {
    if (id !== undefined && !teams.has(id)) issue(path, `unknown team "${id}"`);
  };
  const community = (path: (string | number)[], id: string) => {
    if (!communities.has(id)) issue(path, `unknown community "${id}"`);
  };

  config.communities.forEach((c, i) => {
    team(['communities', i, 'communityTeam'], c.communityTeam);
    team(['communities', i, 'escalationTeam'], c.escalationTeam);
    const delivered = platformsOf(new Set([c.id]));
    for (const key of ['brandAccounts', 'automatedAccounts'] as const) {
      for (const platform of Object.keys(c[key]) as Platform[]) {
        if (!delivered.has(platform)) {
          issue(
            ['communities', i, key, platform],
            `no source of community "${c.id}" delivers platform "${platform}"`,
          );
        }
      }
    }
  });
  config.sources.forEach((s, i) => {
    community(['sources', i, 'community'], s.community);
  });
  const slackSources = new Set(config.sources.filter((s) => s.type === 'slack').map((s) => s.id));
  config.teams.forEach((t, i) => {
    unique(['teams', i, 'chat'], t.chat, 'id', (target) => target.id);
    t.chat.forEach((target, j) => {
      if (target.type !== 'slack' || !target.interactive) return;
      if (target.signingSource !== undefined && !slackSources.has(target.signingSource)) {
        issue(
          ['teams', i, 'chat', j, 'signingSource'],
          `no source of type slack has id "${target.signingSource}"`,
        );
      } else if (target.signingSource === undefined && slackSources.size === 0) {
        issue(
          ['teams', i, 'chat', j, 'interactive'],
          'interactive buttons need a source of type slack (its signing secret verifies the clicks)',
        );
      }
    });
  });
  config.routing.forEach((r, i) => {
    team(['routing', i, 'team'], r.team);
    r.when.community?.forEach((c, j) => {
      community(['routing', i, 'when', 'community', j], c);
    });
    const scope = r.when.community ? new Set(r.when.community) : undefined;
    const delivered = platformsOf(scope);
    r.when.platform?.forEach((platform, j) => {
      if (!delivered.has(platform)) {
        issue(
          ['routing', i, 'when', 'platform', j],
          scope
            ? `no source of the rule's communities delivers platform "${platform}"`
            : `no source delivers platform "${platform}"`,
        );
      }
    });
  });
}
