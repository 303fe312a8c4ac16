import type { BlueBubblesClient } from './bluebubbles-client.js';
import { BlueBubblesWebhook } from './bluebubbles.schema.js';

/**
 * Registers the agent's webhook once. BlueBubbles keeps duplicate registrations (each event
 * would then arrive twice), so it lists first; subscribes to `*` because the name check for
 * `imessage-aliases-removed` is broken upstream.
 */
export class WebhookRegistration {
  private registered = false;

  constructor(
    private readonly client: BlueBubblesClient,
    private readonly url: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  get pending(): boolean {
    return this.url !== undefined && !this.registered;
  }

  async ensure(): Promise<void> {
    if (!this.pending || this.url === undefined) return;
    const listed = await this.client.get('/webhook', { timeoutMs: this.timeoutMs });
    const existing = (Array.isArray(listed.data) ? listed.data : []).some((hook) => {
      const parsed = BlueBubblesWebhook.safeParse(hook);
      return parsed.success && parsed.data.url === this.url;
    });
    if (!existing) await this.client.post('/webhook', { body: { url: this.url, events: ['*'] }, timeoutMs: this.timeoutMs });
    this.registered = true;
  }
}
