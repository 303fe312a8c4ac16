/**
 * The load of `npm run bench:send`: POST /v1/messages with a fixed number in flight,
 * one message per contact (each contact routed to a line round-robin), each with its own Idempotency-Key as a client would
 * send it. Records, per message, when its POST started and when the 202 came back.
 */
import { randomUUID } from 'node:crypto';
import { isValidPhoneNumber } from 'libphonenumber-js/max';

// A 503 says "retry later": a client waits Retry-After seconds (capped so a run ends). A 500
// is retried after a second with the same Idempotency-Key, as a careful client would.
const MAX_RETRY_WAIT_MS = 5_000;

export interface Posted {
  id: string;
  /** Wall-clock ms (Date.now) when the POST started: comparable with the database's timestamps. */
  startedAt: number;
  acceptedAt: number;
}

/** `count` distinct recipients with iMessage in the sim (it treats numbers ending in 0000 as without). */
export function contacts(count: number, offset = 0): string[] {
  const result: string[] = [];
  for (let n = offset; result.length < count; n++) {
    const candidate = `+1206${300 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
    if (!candidate.endsWith('0000') && isValidPhoneNumber(candidate)) result.push(candidate);
  }
  return result;
}

export interface PostRun {
  posted: Posted[];
  /** 503 answers (the API shedding load), each retried after its Retry-After. */
  unavailable: number;
  /** 500 answers, each retried with the same Idempotency-Key. */
  internalErrors: number;
}

export async function postMessages(baseUrl: string, apiKey: string, recipients: string[], inFlight: number): Promise<PostRun> {
  const posted: Posted[] = [];
  const failures: string[] = [];
  let unavailable = 0;
  let internalErrors = 0;
  let next = 0;
  const poster = async () => {
    while (next < recipients.length) {
      const to = recipients[next++]!;
      const startedAt = Date.now();
      const idempotencyKey = randomUUID();
      let response: Response;
      let text: string;
      for (;;) {
        response = await fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ to, body: 'bench: hello from bridgefleet' }),
        });
        text = await response.text();
        if (response.status !== 503 && response.status !== 500) break;
        if (response.status === 503) unavailable += 1;
        else internalErrors += 1;
        const wait = Math.min(MAX_RETRY_WAIT_MS, Number(response.headers.get('retry-after') ?? 1) * 1_000);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (response.status !== 202) {
        failures.push(`${response.status} ${text.slice(0, 200)}`);
        continue;
      }
      posted.push({ id: (JSON.parse(text) as { id: string }).id, startedAt, acceptedAt: Date.now() });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, poster));
  if (failures.length) throw new Error(`${failures.length} POSTs were not accepted, e.g. ${failures[0]}`);
  return { posted, unavailable, internalErrors };
}
