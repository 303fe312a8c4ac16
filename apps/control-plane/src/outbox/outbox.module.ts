import { Global, Module } from '@nestjs/common';
import { OutboxHandlers } from './outbox.handlers.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWriter } from './outbox.writer.js';

/** The transactional outbox: writers append in their transaction, the relay hands rows to topic handlers. */
@Global()
@Module({
  providers: [OutboxHandlers, OutboxWriter, OutboxRepository, OutboxRelay],
  exports: [OutboxHandlers, OutboxWriter, OutboxRelay],
})
export class OutboxModule {}
