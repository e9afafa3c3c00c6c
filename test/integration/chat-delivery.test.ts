import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryLog } from '../../shared/adapters/dynamodb-delivery-log.ts';
import { FetchHttpClient } from '../../shared/adapters/fetch-http-client.ts';
import { SlackPoster } from '../../shared/adapters/slack-poster.ts';
import { TeamsPoster } from '../../shared/adapters/teams-poster.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { ChatSecretStore, OperatorAlerts } from '../../shared/core/ports.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { commentEvent, KeywordClassifier, RecordingNotifier, testConfig } from '../support/builders.ts';
import { type ChatFakes, startChatFakes } from '../support/chat-fakes.ts';
import { adaptiveCardSdkProblems, blockKitProblems, TeamsWorkflowEnvelope } from '../support/chat-formats.ts';
import { freshStore } from '../support/dynamo.ts';
import { outboxOf } from '../support/outbox.ts';

/**
 * Chat delivery end to end: comments processed into DynamoDB Local, the outbox dispatcher on its
 * stream, posting to local stand-ins for a Slack incoming webhook, chat.postMessage and a Teams
 * Workflows webhook. Waits go through a recording clock: nothing sleeps.
 */
let fakes: ChatFakes;
beforeAll(async () => {
  fakes = await startChatFakes();
});
afterAll(async () => {
  await fakes.close();
});

class RecordingAlerts implements OperatorAlerts {
  readonly alerts: { subject: string; text: string }[] = [];
  async alert(subject: string, text: string) {
    this.alerts.push({ subject, text });
  }
}

let run = 0;

async function setup(chat: 'webhook' | 'api' = 'webhook') {
  run += 1;
  const slackPath = `/slack/webhook/support-${run}`;
  const teamsPath = `/teams/workflow/support-${run}`;
  const base = testConfig();
  const config: AutopilotConfig = {
    ...base,
    consoleUrl: 'https://console.example',
    teams: base.teams.map((t) =>
      t.id === 'support'
        ? {
            ...t,
            chat: [
              { type: 'slack', id: 'slack', secretName: 'chat/support-slack', interactive: false },
              { type: 'teams', id: 'teams', secretName: 'chat/support-teams' },
            ],
          }
        : t,
    ),
  };
  const secrets: ChatSecretStore = {
    async chatSecret(team, target) {
      if (target === 'slack') {
        return chat === 'webhook'
          ? `${fakes.url}${slackPath}`
          : JSON.stringify({ botToken: fakes.botToken, channel: 'C0SUPPORT' });
      }
      return `${fakes.url}${teamsPath}?api-version=1&sig=${team}`;
    },
  };
  const http = new FetchHttpClient({ timeoutMs: 5000 });
  const table = await freshStore();
  const alerts = new RecordingAlerts();
  const waits: number[] = [];
  const notifier = new RecordingNotifier();
  const outbox = outboxOf(table, config, notifier, {
    chat: {
      posters: {
        slack: new SlackPoster({ http, secrets, apiBaseUrl: `${fakes.url}/slack/api` }),
        teams: new TeamsPoster({ http, secrets }),
      },
      log: new DynamoDeliveryLog(table.client, table.tableName),
      alerts,
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const classifier = new KeywordClassifier();
  const process = (...events: ReturnType<typeof commentEvent>[]) =>
    processCommentEvents(events, { config, classifierFor: () => classifier, store: table.store });
  return { outbox, process, alerts, waits, notifier, slackPath, teamsPath };
}

const complaint = () => commentEvent({ id: `plainte-${run}`, text: 'Mon vélo est arrivé cassé, c’est nul.' });

describe('chat delivery through the outbox', () => {
  it('posts a French complaint routed to support once as Block Kit and once as an Adaptive Card', async () => {
    const { outbox, process, notifier, slackPath, teamsPath } = await setup();
    await process(complaint());

    await outbox.drain();

    const [slack] = fakes.accepted(slackPath);
    const [teams] = fakes.accepted(teamsPath);
    expect(fakes.accepted(slackPath)).toHaveLength(1);
    expect(fakes.accepted(teamsPath)).toHaveLength(1);
    expect(blockKitProblems(slack?.json as never)).toEqual([]);
    expect(JSON.stringify(slack?.json)).toContain('Réclamation sur Web');
    expect(TeamsWorkflowEnvelope.parse(teams?.json).attachments[0]?.content.body[0]).toMatchObject({
      text: '🟠 Réclamation sur Web',
    });
    expect(adaptiveCardSdkProblems(TeamsWorkflowEnvelope.parse(teams?.json).attachments[0]?.content)).toEqual(
      [],
    );
    expect(notifier.published.map((n) => n.message.id)).toEqual([`generic:plainte-${run}#support`]);
  });

  it('posts with chat.postMessage when the secret holds a bot token and a channel', async () => {
    const { outbox, process } = await setup('api');
    const before = fakes.accepted('/slack/api/chat.postMessage').length;
    await process(complaint());

    await outbox.drain();

    const posted = fakes.accepted('/slack/api/chat.postMessage').slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.headers.authorization).toBe(`Bearer ${fakes.botToken}`);
    expect(posted[0]?.json).toMatchObject({ channel: 'C0SUPPORT' });
  });

  it('waits as long as a 429’s Retry-After says, then posts the message once', async () => {
    const { outbox, process, waits, slackPath } = await setup();
    fakes.script(slackPath, { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
    await process(complaint());

    await outbox.drain();

    expect(waits).toEqual([1000]);
    expect(fakes.received.filter((r) => r.path === slackPath)).toHaveLength(2);
    expect(fakes.accepted(slackPath)).toHaveLength(1);
  });

  it('raises one alert and stops posting a notification to a webhook that answers 410', async () => {
    const { outbox, process, alerts, slackPath, teamsPath } = await setup();
    fakes.fail(slackPath, { status: 410, body: 'channel_is_archived' });
    await process(complaint());

    await outbox.drain();
    await outbox.drain();
    // A second notification to the same broken target: posted once, given up on, no second alert.
    await process(commentEvent({ id: `autre-${run}`, text: 'Ma batterie est nulle ?' }));
    await outbox.drain();

    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]?.text).toContain(
      'support/slack is gone: Slack (incoming webhook) answered 410 channel_is_archived',
    );
    expect(fakes.received.filter((r) => r.path === slackPath)).toHaveLength(2);
    expect(outbox.deadLetters.letters.map((l) => l.reason)).toEqual([
      'support/slack is gone: Slack (incoming webhook) answered 410 channel_is_archived',
      'support/slack is gone: Slack (incoming webhook) answered 410 channel_is_archived',
    ]);
    // The other target of the team still gets both.
    expect(fakes.accepted(teamsPath)).toHaveLength(2);
  });

  it('posts nothing new for a replayed webhook, nor when the stream hands a batch over again', async () => {
    const { outbox, process, slackPath, teamsPath, notifier } = await setup();
    const event = complaint();
    await process(event);
    await outbox.drain();

    await process(structuredClone(event)); // the platform delivers the same webhook again
    await outbox.drain();

    expect(fakes.accepted(slackPath)).toHaveLength(1);
    expect(fakes.accepted(teamsPath)).toHaveLength(1);
    expect(notifier.published).toHaveLength(1);
  });

  it('retries a batch that failed on one target without posting again to the targets already done', async () => {
    const { outbox, process, slackPath, teamsPath, notifier } = await setup();
    // Teams fails for longer than the batch waits: the batch fails at this change.
    fakes.script(teamsPath, ...Array.from({ length: 4 }, () => ({ status: 503, body: 'busy' })));
    await process(complaint());

    await outbox.drain();
    await outbox.drain();

    expect(fakes.accepted(teamsPath)).toHaveLength(1);
    expect(fakes.accepted(slackPath)).toHaveLength(1);
    expect(notifier.published).toHaveLength(1);
  });
});
