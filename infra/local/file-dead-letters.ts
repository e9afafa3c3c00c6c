import { appendFile } from 'node:fs/promises';
import type { DeadLetters, OutboxChange } from '../../shared/core/ports.ts';

/**
 * The outbox's dead letters on a laptop: one JSON line per change that could not be delivered,
 * appended to a file in the data dir (the deployed stack sends them to an alarmed SQS queue).
 */
export class FileDeadLetters implements DeadLetters {
  constructor(
    private readonly path: string,
    private readonly print: (line: string) => void = () => {},
  ) {}

  async send(change: OutboxChange | { sequence: string; raw: unknown }, reason: string): Promise<void> {
    await appendFile(this.path, `${JSON.stringify({ at: new Date().toISOString(), reason, change })}\n`);
    this.print(`outbox: change ${change.sequence} sent to ${this.path}: ${reason}`);
  }
}
