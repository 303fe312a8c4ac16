import type { Attachment } from '@bridgefleet/contracts/agent.schema.js';
import type { DriverSendRequest } from '../driver.js';

/**
 * A message with attachments goes out as several BlueBubbles sends: the text (if any)
 * first, then each attachment in order. Each part has its own tempGuid derived from the
 * control-plane message id, so webhooks and reconcile can tell the parts apart. The text
 * keeps the bare message id, exactly as a text-only send does.
 */
export type SendPart =
  | { kind: 'text'; index: 0; tempGuid: string; body: string }
  | { kind: 'attachment'; index: number; tempGuid: string; attachment: Attachment; name: string };

const PART_SUFFIX = /:a\d+$/;

export function partTempGuid(messageId: string, attachmentNumber: number): string {
  return `${messageId}:a${attachmentNumber}`;
}

/** The control-plane message id a tempGuid belongs to (a part's tempGuid carries a suffix). */
export function messageIdOfTempGuid(tempGuid: string): string {
  return tempGuid.replace(PART_SUFFIX, '');
}

export function partsOf(request: DriverSendRequest): SendPart[] {
  const parts: SendPart[] = [];
  if (request.body !== undefined) parts.push({ kind: 'text', index: 0, tempGuid: request.messageId, body: request.body });
  (request.attachments ?? []).forEach((attachment, position) => {
    const number = position + 1;
    parts.push({
      kind: 'attachment',
      index: number,
      tempGuid: partTempGuid(request.messageId, number),
      attachment,
      name: attachmentName(attachment, number),
    });
  });
  return parts;
}

/**
 * The file name Messages shows, and what reconcile matches on (chat.db keeps it as the
 * transfer name): the given filename, else the URL's last path segment, else a numbered
 * default. Never a path: separators and control characters are dropped.
 */
export function attachmentName(attachment: Attachment, number: number): string {
  const fromUrl = decodeSafely(new URL(attachment.url).pathname.split('/').pop() ?? '');
  const raw = attachment.filename ?? fromUrl;
  const cleaned = [...raw]
    .map((char) => (char === '/' || char === '\\' || char.charCodeAt(0) < 0x20 || char === '\u007f' ? '_' : char))
    .join('')
    .replace(/^\.+/, '')
    .trim();
  return cleaned.length > 0 ? cleaned.slice(0, 255) : `attachment-${number}`;
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
