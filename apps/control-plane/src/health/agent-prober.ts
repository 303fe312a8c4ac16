import { Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { AgentHealthReport } from '@bridgefleet/contracts/agent.schema.js';
import type { ProbeResult } from './health-metrics.js';

export type ProbeOutcome = { ok: true; report: AgentHealthReport } | { ok: false; result: Exclude<ProbeResult, 'ok'>; error: string };

/** Reports are small; anything bigger is not a health report. */
const MAX_BODY_BYTES = 64 * 1024;
/** Counted as a miss, not buffered: the socket is dropped as soon as the limit is passed. */
const TOO_LARGE: ProbeOutcome = { ok: false, result: 'invalid', error: `health report larger than ${MAX_BODY_BYTES} bytes` };

/**
 * Calls an agent's `GET /health` and validates the answer with the contracts schema.
 * node:http with keep-alive agents rather than fetch: at 1,000 probes/s the lower
 * per-request cost matters, and connections to each Mac are reused between probes.
 */
@Injectable()
export class AgentProber {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 1_024, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 1_024, scheduling: 'lifo' }),
  };

  probe(agentUrl: string, agentToken: string, timeoutMs: number): Promise<ProbeOutcome> {
    let url: URL;
    try {
      url = new URL('health', agentUrl.endsWith('/') ? agentUrl : `${agentUrl}/`);
    } catch {
      return Promise.resolve({ ok: false, result: 'unreachable', error: 'invalid agent URL' });
    }
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (transport === null) return Promise.resolve({ ok: false, result: 'unreachable', error: `unsupported protocol ${url.protocol}` });
    return new Promise((resolve) => {
      const request = transport.get(
        url,
        {
          agent: this.agents[url.protocol as 'http:' | 'https:'],
          headers: { authorization: `Bearer ${agentToken}`, accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
            // Settle first: destroying the socket also fires 'error'/'aborted', which must not win.
            resolve(TOO_LARGE);
            request.destroy();
          });
          response.on('end', () => resolve(parseReport(response.statusCode ?? 0, Buffer.concat(chunks))));
          response.on('error', (error) => resolve(failure(error, timeoutMs)));
        },
      );
      // The signal also covers a body that trickles in after the headers (slow drip): it
      // destroys the socket at the deadline, so the probe and its concurrency slot end there.
      request.on('error', (error) => resolve(failure(error, timeoutMs)));
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

function parseReport(status: number, body: Buffer): ProbeOutcome {
  if (status !== 200) return { ok: false, result: 'http_error', error: `agent answered HTTP ${status}` };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, result: 'invalid', error: 'health report is not JSON' };
  }
  const parsed = AgentHealthReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, result: 'invalid', error: `invalid health report: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}` };
  }
  return { ok: true, report: parsed.data };
}

function failure(error: Error & { code?: string }, timeoutMs: number): ProbeOutcome {
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ABORT_ERR') {
    return { ok: false, result: 'timeout', error: `timed out after ${timeoutMs} ms` };
  }
  return { ok: false, result: 'unreachable', error: error.code ?? error.message };
}
