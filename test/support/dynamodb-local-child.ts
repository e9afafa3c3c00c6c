import { type ParentGuard, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

/**
 * A parent for DynamoDB Local that a test can SIGKILL: starts it with the guard and data dir given
 * on the command line, prints `{ "pid": ..., "endpoint": ... }` on one line once it answers, then
 * waits to be killed.
 */
const [guard, dataDir] = process.argv.slice(2);
const dynamo = await startDynamoDbLocal({ guard: guard as ParentGuard, ...(dataDir ? { dataDir } : {}) });
process.stdout.write(`${JSON.stringify({ pid: dynamo.pid, endpoint: dynamo.endpoint })}\n`);
setInterval(() => {}, 60_000);
