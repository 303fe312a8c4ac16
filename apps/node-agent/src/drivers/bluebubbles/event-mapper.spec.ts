import { describe, expect, it } from 'vitest';
import type { DriverEvent } from '../driver.js';
import { EventIntake, InvalidBlueBubblesWebhook } from './event-intake.js';
import { eventsForWebhook } from './event-mapper.js';
import { MessageCorrelation, SeenEvents } from './message-correlation.js';

const now = new Date('2026-11-25T12:00:00Z');
const base = {
  guid: 'G-1',
  text: 'hello',
  handle: { address: '+15551234567', service: 'iMessage' },
  isFromMe: false,
  dateCreated: 1_790_000_000_000,
  dateDelivered: null,
  dateRead: null,
  error: 0,
  attachments: [],
  chats: [{ guid: 'iMessage;-;+15551234567' }],
};
const none = () => undefined;

describe('eventsForWebhook', () => {
  it('turns an inbound new-message into received', () => {
    expect(eventsForWebhook({ type: 'new-message', data: base }, none, now)).toEqual([
      {
        key: 'received:G-1',
        event: { type: 'received', from: '+15551234567', body: 'hello', providerId: 'G-1', at: new Date(base.dateCreated) },
      },
    ]);
  });

  it('emits nothing for our own fresh send', () => {
    expect(eventsForWebhook({ type: 'new-message', data: { ...base, isFromMe: true, tempGuid: 'M-1' } }, none, now)).toEqual([]);
  });

  it('maps updated-message delivered and read, correlated by guid', () => {
    const data = { ...base, isFromMe: true, dateDelivered: 1_790_000_001_000, dateRead: 1_790_000_002_000, chats: undefined };
    const events = eventsForWebhook({ type: 'updated-message', data }, (guid) => (guid === 'G-1' ? 'M-1' : undefined), now);
    expect(events.map((keyed) => [keyed.key, keyed.event])).toEqual([
      ['delivered:G-1', { type: 'delivered', providerId: 'G-1', messageId: 'M-1', at: new Date(1_790_000_001_000) }],
      ['read:G-1', { type: 'read', providerId: 'G-1', messageId: 'M-1', at: new Date(1_790_000_002_000) }],
    ]);
  });

  it('maps message-send-error 22 to no_imessage and other codes to bridge_error', () => {
    const failed = (error: number) =>
      eventsForWebhook({ type: 'message-send-error', data: { ...base, isFromMe: true, error, tempGuid: 'M-2' } }, none, now)[0]?.event;
    expect(failed(22)).toMatchObject({ type: 'failed', code: 'no_imessage', messageId: 'M-2', providerId: 'G-1' });
    expect(failed(4)).toMatchObject({ type: 'failed', code: 'bridge_error' });
  });

  it('maps imessage-aliases-removed to deregistered and ignores the rest', () => {
    expect(eventsForWebhook({ type: 'imessage-aliases-removed', data: { aliases: ['+15550000000'] } }, none, now)).toEqual([
      { event: { type: 'deregistered', detail: 'iMessage aliases removed: +15550000000', at: now } },
    ]);
    expect(eventsForWebhook({ type: 'typing-indicator', data: { display: true } }, none, now)).toEqual([]);
    expect(eventsForWebhook({ type: 'new-message', data: { nonsense: true } }, none, now)).toEqual([]);
  });
});

describe('EventIntake', () => {
  const intake = () => {
    const events: DriverEvent[] = [];
    const correlation = new MessageCorrelation();
    const door = new EventIntake(correlation, new SeenEvents(), () => now);
    door.listen((event) => events.push(event));
    return { door, events, correlation };
  };

  it('dedupes the two new-message events of one send and learns the tempGuid', () => {
    const { door, events, correlation } = intake();
    const sent = { ...base, isFromMe: true };
    door.acceptWebhook({ type: 'new-message', data: { ...sent, tempGuid: 'M-9' } });
    door.acceptWebhook({ type: 'new-message', data: sent });
    door.acceptWebhook({ type: 'updated-message', data: { ...sent, dateDelivered: 1 } });
    door.acceptWebhook({ type: 'updated-message', data: { ...sent, dateDelivered: 1 } });
    expect(correlation.messageIdFor('G-1')).toBe('M-9');
    expect(events).toEqual([{ type: 'delivered', providerId: 'G-1', messageId: 'M-9', at: new Date(1) }]);
  });

  it('shares dedupe between webhooks and the poll', () => {
    const { door, events } = intake();
    door.acceptWebhook({ type: 'new-message', data: base });
    door.acceptMessage(base);
    expect(events).toHaveLength(1);
  });

  it('rejects a body that is not a webhook', () => {
    expect(() => intake().door.acceptWebhook({ data: {} })).toThrow(InvalidBlueBubblesWebhook);
  });
});
