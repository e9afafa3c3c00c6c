import { describe, expect, it } from 'vitest';
import { signDiscourseRequest } from '../../../shared/platforms/discourse.ts';
import { signGithubRequest } from '../../../shared/platforms/github.ts';
import { SOURCES } from '../../../shared/platforms/index.ts';
import { signMetaRequest } from '../../../shared/platforms/meta.ts';
import { signSlackRequest } from '../../../shared/platforms/slack.ts';
import { signXRequest } from '../../../shared/platforms/x.ts';
import { context, fixture, NOW, post } from './helpers.ts';

// The exported signers feed the local demo and the benchmarks: each must produce what its source accepts.
const cases = [
  {
    source: 'meta',
    file: 'instagram-comments.json',
    sign: (b: Buffer) => signMetaRequest('dev-secret-meta', b),
  },
  {
    source: 'slack',
    file: 'message.json',
    sign: (b: Buffer) => signSlackRequest('dev-secret-slack', b, NOW.getTime() / 1000),
  },
  {
    source: 'discourse',
    file: 'post-created.json',
    sign: (b: Buffer) => signDiscourseRequest('dev-secret-discourse', b, 'post_created'),
  },
  {
    source: 'github',
    file: 'issue-comment-created.json',
    sign: (b: Buffer) => signGithubRequest('dev-secret-github', b, 'issue_comment'),
  },
  { source: 'x', file: 'tweet-create-mentions.json', sign: (b: Buffer) => signXRequest('dev-secret-x', b) },
];

describe('request signers', () => {
  it.each(cases)(
    'signs $source requests the way the $source source verifies them',
    ({ source, file, sign }) => {
      const body = fixture(source, file);

      const outcome = SOURCES[source]?.handle(post(sign(body), body), context(source));

      expect(outcome?.kind).toBe('events');
    },
  );
});
