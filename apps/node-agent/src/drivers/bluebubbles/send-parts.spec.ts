import { describe, expect, it } from 'vitest';
import { attachmentName, messageIdOfTempGuid, partsOf } from './send-parts.js';

describe('send parts', () => {
  const messageId = '7f2c4c1e-0a55-4c3e-9d7a-2b1f6d1c9e01';

  it('text first with the bare message id, then one tempGuid per attachment', () => {
    const parts = partsOf({
      messageId,
      to: '+15551230000',
      body: 'hi',
      attachments: [{ url: 'https://x.test/a.png' }, { url: 'https://x.test/b' }],
    });
    expect(parts.map((part) => [part.kind, part.tempGuid])).toEqual([
      ['text', messageId],
      ['attachment', `${messageId}:a1`],
      ['attachment', `${messageId}:a2`],
    ]);
    expect(parts.map((part) => messageIdOfTempGuid(part.tempGuid))).toEqual([messageId, messageId, messageId]);
  });

  it.each([
    [{ url: 'https://x.test/dir/photo%20one.jpg' }, 'photo one.jpg'],
    [{ url: 'https://x.test/a.png', filename: '../../etc/passwd' }, '_.._etc_passwd'],
    [{ url: 'https://x.test/a.png', filename: 'bad\u0000name\n.txt' }, 'bad_name_.txt'],
    [{ url: 'https://x.test/' }, 'attachment-3'],
    [{ url: 'https://x.test/..' }, 'attachment-3'],
  ])('names %o as %s (never a path)', (attachment, expected) => {
    expect(attachmentName(attachment, 3)).toBe(expected);
  });
});
