import { isValidPhoneNumber } from 'libphonenumber-js/max';
import type { TestControlPlane } from './control-plane.js';

// Numbers and names come from a clock-seeded sequence: unique within a file, and test files that
// run one after another in the same database start further along the sequence.
let sequence = Date.now();

/** A valid, unused-in-this-run US number (+1 415 NXX XXXX). */
export function uniquePhoneNumber(): string {
  for (;;) {
    const n = sequence++ % 8_000_000;
    const candidate = `+1415${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
    if (isValidPhoneNumber(candidate)) return candidate;
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${(sequence++).toString(36)}`;
}

/** A fingerprint in OpenSSH's format (not of a real key). */
export const SAMPLE_HOST_KEY_FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

function expectCreated(what: string, response: { status: number; text: string }): void {
  if (response.status !== 201) throw new Error(`creating a ${what} answered ${response.status}: ${response.text}`);
}

/** Registers a node through the API and returns the response body (the node view). */
export async function createNode(cp: TestControlPlane, overrides: Record<string, unknown> = {}): Promise<any> {
  const response = await cp.admin.post('/v1/nodes', {
    name: uniqueName('mac'),
    // Discard port on loopback: nothing answers unless a test starts an agent and passes its URL.
    agentUrl: 'http://127.0.0.1:9',
    agentToken: `agent-token-${uniqueName('t')}`,
    ...overrides,
  });
  expectCreated('node', response);
  return response.body;
}

/** Adds a line on `nodeId` through the API and returns the response body (the line view). */
export async function createLine(cp: TestControlPlane, nodeId: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const response = await cp.admin.post('/v1/lines', {
    phoneNumber: uniquePhoneNumber(),
    appleId: `${uniqueName('apple')}@example.com`,
    nodeId,
    ...overrides,
  });
  expectCreated('line', response);
  return response.body;
}
