import { appendFile } from 'node:fs/promises';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { SnsNotifier } from '../../shared/adapters/sns-notifier.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { Consumer } from './consumers.ts';
import { freePort } from './dynamodb-local.ts';

/**
 * The team topics, on an in-process SNS emulator (fauxqs) so notifications go through the same SNS
 * adapter as in AWS. A local subscriber stands in for e-mail and HTTPS: every topic delivers into
 * one queue, drained here, each notification printed and appended as one JSON line
 * `{team, subject, message, attributes}` to notifications.jsonl.
 *
 * The emulator keeps messages in memory: a notification published in the instant before a SIGKILL
 * may be missing from the file. Counting does not depend on it.
 */
export interface LocalTopics {
  notifier: SnsNotifier;
  /** The drain into notifications.jsonl. */
  consumer: Consumer;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startLocalTopics(options: {
  config: AutopilotConfig;
  region: string;
  port?: number;
  notificationsFile?: string;
  print?: (line: string) => void;
}): Promise<LocalTopics> {
  const { config, region } = options;
  const print = options.print ?? (() => {});
  const fauxqs = await startFauxqs({
    port: options.port ?? (await freePort()),
    logger: false,
    defaultRegion: region,
  } as never);
  const inbox = fauxqs.createQueue('local-notifications', { region });
  const topics: Record<string, string> = {};
  const teamOfTopic = new Map<string, string>();
  for (const team of config.teams) {
    const { topicArn } = fauxqs.createTopic(`team-${team.id}`, { region });
    fauxqs.subscribe({ topic: `team-${team.id}`, queue: 'local-notifications', region });
    topics[team.id] = topicArn;
    teamOfTopic.set(topicArn, team.id);
  }
  const sns = new SNSClient({ endpoint: fauxqs.address, region, credentials: CREDENTIALS });
  const sqs = new SQSClient({
    endpoint: fauxqs.address,
    region,
    credentials: CREDENTIALS,
    useQueueUrlAsEndpoint: false,
  });

  let running = true;
  let inHand = 0;
  const drain = async () => {
    while (running) {
      const received =
        (
          await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: inbox.queueUrl,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
              MessageAttributeNames: ['All'],
            }),
          )
        ).Messages ?? [];
      if (!received.length) continue;
      inHand += 1;
      try {
        const lines: string[] = [];
        for (const m of received) {
          let envelope: SnsEnvelope;
          try {
            envelope = JSON.parse(m.Body ?? '') as SnsEnvelope;
          } catch {
            print(`skipped a notification that is not an SNS envelope: ${(m.Body ?? '').slice(0, 80)}`);
            continue;
          }
          const record = {
            team: teamOfTopic.get(envelope.TopicArn) ?? envelope.TopicArn,
            subject: envelope.Subject ?? '',
            message: JSON.parse(defaultMessage(envelope.Message)) as unknown,
            attributes: Object.fromEntries(
              Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
            ),
          };
          print(`→ ${record.team.padEnd(11)} ${record.subject}`);
          lines.push(JSON.stringify(record));
        }
        if (options.notificationsFile && lines.length)
          await appendFile(options.notificationsFile, `${lines.join('\n')}\n`);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: inbox.queueUrl,
            Entries: received.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
      } finally {
        inHand -= 1;
      }
    }
  };
  const loop = drain().catch((error) => {
    if (running) print(`local notification drain stopped: ${(error as Error).message}`);
  });

  return {
    notifier: new SnsNotifier(sns, topics),
    consumer: {
      name: 'local-notifications',
      async backlog() {
        const result = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: inbox.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
          inHand
        );
      },
      async stop() {
        running = false;
        await loop;
      },
    },
    async stop() {
      running = false;
      await loop;
      sqs.destroy();
      sns.destroy();
      await fauxqs.stop();
    },
  };
}

interface SnsEnvelope {
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * With MessageStructure 'json', SNS delivers the `sqs` (or `default`) member to SQS subscribers;
 * the emulator forwards the whole structure, so pick the member here as SNS would.
 */
function defaultMessage(message: string): string {
  const parsed = JSON.parse(message) as unknown;
  if (parsed && typeof parsed === 'object' && 'default' in parsed && typeof parsed.default === 'string') {
    const structured = parsed as Record<string, string>;
    return structured.sqs ?? structured.default ?? message;
  }
  return message;
}
