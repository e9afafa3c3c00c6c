import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchHttpClient, RunBudgetSpentError } from '../../../shared/adapters/fetch-http-client.ts';
import { DependencyError } from '../../../shared/domain/errors.ts';

// A server on 127.0.0.1 stands in for the platform: real fetch, no outside network.
let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits += 1;
    // Never answers: the client's own timeout is all that can end the call (no race with a timer here).
    if (request.url?.startsWith('/slow')) return;
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      response.writeHead(200, { 'X-Ratelimit-Remaining': '58', 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, ua: request.headers['user-agent'], body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('FetchHttpClient', () => {
  it('returns the status, lower-case header names and the body, sending method, headers and body', async () => {
    const http = new FetchHttpClient({ timeoutMs: 2_000 });

    const response = await http.send({
      method: 'POST',
      url: `${base}/token`,
      headers: { 'user-agent': 'test-agent' },
      body: 'grant_type=client_credentials',
    });

    expect(response.status).toBe(200);
    expect(response.headers['x-ratelimit-remaining']).toBe('58');
    expect(JSON.parse(response.body)).toEqual({
      method: 'POST',
      ua: 'test-agent',
      body: 'grant_type=client_credentials',
    });
  });

  it('gives up after the timeout with a retryable error that does not echo the query string', async () => {
    const http = new FetchHttpClient({ timeoutMs: 100 });

    const call = http.send({ method: 'GET', url: `${base}/slow?key=AIza-secret`, headers: {} });

    await expect(call).rejects.toBeInstanceOf(DependencyError);
    await expect(call).rejects.not.toThrow(/AIza-secret/);
  });

  it('starts no request once the run budget is spent', async () => {
    const before = hits;
    const http = new FetchHttpClient({ timeoutMs: 2_000, stopAt: 1_000, now: () => 1_000 });

    const call = http.send({ method: 'GET', url: `${base}/anything`, headers: {} });

    await expect(call).rejects.toBeInstanceOf(RunBudgetSpentError);
    expect(hits).toBe(before);
  });
});
