import { describe, expect, it } from 'vitest';
import { parseQueueUrl, queueUrlOf, queueUrlProblem, redactQueueUrl } from '../../src/shared/queue-url.js';
import { configSchema } from '../../src/config/schema.js';

describe('parseQueueUrl', () => {
  it.each([
    ['redis://127.0.0.1:6390', { host: '127.0.0.1', port: 6390, db: 0, redacted: 'redis://127.0.0.1:6390' }],
    ['redis://localhost', { host: 'localhost', port: 6379, db: 0 }],
    ['redis://:s3cret@h:1/2', { host: 'h', port: 1, db: 2, password: 's3cret', redacted: 'redis://:***@h:1/2' }],
    ['redis://bob:p%40ss@h:1', { username: 'bob', password: 'p@ss', redacted: 'redis://bob:***@h:1' }],
    ['rediss://bob:x@queue.example:6380/0', { tls: { servername: 'queue.example' }, redacted: 'rediss://bob:***@queue.example:6380/0' }],
    ['redis://[::1]:7000', { host: '::1', port: 7000 }],
  ])('reads %s', (url, expected) => {
    expect(parseQueueUrl(url)).toMatchObject(expected);
  });

  it.each([
    ['http://h:1', 'the scheme is http, not redis or rediss'],
    ['h:6379', 'the scheme is h, not redis or rediss'],
    ['not a url', 'it is not a URL'],
    ['redis://h:1/abc', 'the database "abc" is not a number from 0 to 99'],
    ['redis://h:1/?x=1', 'query strings and fragments are not supported'],
  ])('refuses %s because %s', (url, problem) => {
    expect(queueUrlProblem(url)).toBe(problem);
  });

  it('never puts the password in its error', () => {
    expect(() => parseQueueUrl('redis://u:hunter2@h:1/zz')).toThrow(/redis:\/\/u:\*\*\*@h:1\/zz is not usable/);
    try {
      parseQueueUrl('redis://u:hunter2@h:1/zz');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});

describe('redactQueueUrl', () => {
  it.each([
    ['redis://a:b@h:1', 'redis://a:***@h:1'],
    ['redis://:b@h', 'redis://:***@h'],
    ['redis://h:1/3', 'redis://h:1/3'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactQueueUrl(url)).toBe(shown);
  });
});

describe('queueUrlOf', () => {
  it.each([
    [undefined, {}, undefined],
    ['redis://file:1', {}, 'redis://file:1'],
    ['redis://file:1', { AGENT_DISPATCH_QUEUE: 'redis://env:2' }, 'redis://env:2'],
    [undefined, { AGENT_DISPATCH_QUEUE: ' ' }, undefined],
  ])('settings %s with env %j gives %s', (file, env, expected) => {
    expect(queueUrlOf(file, env)).toBe(expected);
  });
});

describe('settings.queue in agents.yaml', () => {
  it('accepts a redis URL and the pool settings', () => {
    const settings = configSchema.parse({ settings: { queue: 'redis://h:1', pool_max_concurrency: 4 } }).settings;
    expect(settings).toMatchObject({ queue: 'redis://h:1', pool_max_concurrency: 4 });
  });

  it('says what is wrong with a bad URL without echoing the password', () => {
    const parsed = configSchema.safeParse({ settings: { queue: 'http://u:hunter2@h:1' } });
    expect(parsed.success).toBe(false);
    const message = parsed.error!.issues[0]!.message;
    expect(message).toContain('the scheme is http, not redis or rediss');
    expect(message).not.toContain('hunter2');
  });

  it('refuses a failover bound above 120 s', () => {
    expect(configSchema.safeParse({ settings: { pool_failover_seconds: 600 } }).success).toBe(false);
  });
});
