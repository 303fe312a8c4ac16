import { describe, expect, it } from 'vitest';
import { ContactHandle, E164 } from './common.schema.js';
import { CreateNodeBody, CreateLineBody } from './fleet.schema.js';
import { FleetSettingsPatch } from './fleet-settings.schema.js';
import { CreateKeyBody } from './keys.schema.js';
import { SendMessageBody } from './messages.schema.js';

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string }[] } }) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}:${issue.code}`);
}

describe('validation schemas', () => {
  it.each([
    ['+442071838750', true],
    ['+14155552671', true],
    ['4155552671', false],
    ['+1 415 555 2671', false],
    ['+999123456789', false],
    ['+1415555267', false],
  ])('E.164 %s valid=%s', (value, valid) => {
    expect(E164.safeParse(value).success).toBe(valid);
  });

  it('normalises contact handles: E.164 kept, emails lower-cased, junk refused', () => {
    expect(ContactHandle.parse('+14155552671')).toBe('+14155552671');
    expect(ContactHandle.parse('Jane.Doe@Example.COM')).toBe('jane.doe@example.com');
    expect(ContactHandle.safeParse('jane').success).toBe(false);
    expect(ContactHandle.safeParse('+1').success).toBe(false);
  });

  it('rejects unknown fields at every nesting level', () => {
    const node = CreateNodeBody.safeParse({
      name: 'mac-1',
      agentUrl: 'http://127.0.0.1:9000',
      agentToken: 'a'.repeat(32),
      ssh: {
        host: '127.0.0.1',
        port: 22,
        user: 'admin',
        hostKeyFingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
        extra: 1,
      },
      surprise: true,
    });
    expect(issuesOf(node)).toEqual(expect.arrayContaining(['ssh:unrecognized_keys', ':unrecognized_keys']));
    const settings = FleetSettingsPatch.safeParse({ limits: { dailyCap: 10, nope: 1 } });
    expect(issuesOf(settings)).toContain('limits:unrecognized_keys');
    const key = CreateKeyBody.safeParse({ name: 'k', scopes: ['admin'], owner: 'x' });
    expect(issuesOf(key)).toContain(':unrecognized_keys');
  });

  it('types every field: wrong types and out-of-range values are refused with their path', () => {
    const line = CreateLineBody.safeParse({ phoneNumber: 14155552671, appleId: 'not-an-email', nodeId: 'x' });
    const paths = (line.error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['phoneNumber', 'appleId', 'nodeId']));
    const message = SendMessageBody.safeParse({ to: '+14155552671', body: 'hi', validForSeconds: 1, attachments: [{ url: 'ftp://x/y' }] });
    const messagePaths = (message.error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(messagePaths).toEqual(expect.arrayContaining(['validForSeconds', 'attachments.0.url']));
  });

  it('accepts a minimal valid message and requires a body or an attachment', () => {
    expect(SendMessageBody.safeParse({ to: '+14155552671', body: 'hello' }).success).toBe(true);
    expect(SendMessageBody.safeParse({ to: '+14155552671' }).success).toBe(false);
    expect(SendMessageBody.safeParse({ to: '+14155552671', attachments: [{ url: 'https://example.com/a.png' }] }).success).toBe(true);
  });
});
