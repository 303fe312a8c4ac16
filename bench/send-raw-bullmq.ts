/**
 * The baseline of `npm run bench:send`: raw BullMQ on the same Redis, a Queue and a
 * Worker with a no-op processor in this process, the same number of jobs added one by
 * one with the same number in flight, under a prefix of its own.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

export interface RawBullmqResult {
  jobs: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
}

export async function rawBullmq(redisUrl: string, prefix: string, jobs: number, inFlight: number): Promise<RawBullmqResult> {
  const connections: Redis[] = [];
  const connection = () => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connections.push(client);
    return client;
  };
  const queue = new Queue('raw', { connection: connection(), prefix, defaultJobOptions: { removeOnComplete: true } });
  const addedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const worker = new Worker('raw', async () => undefined, { connection: connection(), prefix, concurrency: inFlight });
  worker.on('completed', (job) => {
    latenciesMs.push(performance.now() - addedAt.get(job.id!)!);
    if (latenciesMs.length === jobs) resolveDone();
  });
  await worker.waitUntilReady();
  const started = performance.now();
  let next = 0;
  const adder = async () => {
    while (next < jobs) {
      const id = `job-${next++}`;
      addedAt.set(id, performance.now());
      await queue.add('noop', {}, { jobId: id });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, adder));
  await done;
  const seconds = (performance.now() - started) / 1_000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  for (const client of connections) client.disconnect();
  return { jobs, seconds, perSecond: jobs / seconds, latenciesMs };
}
