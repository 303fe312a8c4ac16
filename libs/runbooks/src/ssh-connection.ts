import { Client, type ClientChannel } from 'ssh2';
import { fingerprintMatches, HostKeyMismatch, hostKeyFingerprint } from './host-key.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** Pinned `SHA256:…` fingerprint; the connection is refused before authentication if it differs. */
  hostKeyFingerprint: string;
}

export interface SshConnectOptions {
  /** The key itself (never a path): the caller resolves it and must never log it. */
  privateKey: Buffer | string;
  passphrase?: string;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

/** The handshake or a keepalive went unanswered (a silent listener, a frozen sshd, a dead link). */
export class SshTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshTimeout';
  }
}

export class SshConnectionFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshConnectionFailed';
  }
}

function classify(error: Error & { level?: string }, target: SshTarget, readyTimeoutMs: number): Error {
  if (error.level === 'client-timeout') {
    const what = /keepalive/i.test(error.message)
      ? 'stopped answering keepalives'
      : `did not complete the SSH handshake within ${readyTimeoutMs} ms`;
    return new SshTimeout(`${target.host}:${target.port} ${what}`);
  }
  return new SshConnectionFailed(`ssh to ${target.host}:${target.port} failed: ${error.message}`);
}

/**
 * An authenticated connection. `lost` settles when the connection ends for any
 * reason (carrying the cause when it was an error), so a running exec can stop waiting.
 */
export class SshConnection {
  private lostReason: Error | undefined;
  private readonly lostListeners = new Set<(reason: Error) => void>();

  private constructor(
    private readonly client: Client,
    target: SshTarget,
    readyTimeoutMs: number,
  ) {
    client.on('error', (error) => this.markLost(classify(error, target, readyTimeoutMs)));
    client.on('close', () => this.markLost(new SshConnectionFailed(`connection to ${target.host}:${target.port} closed`)));
  }

  static connect(target: SshTarget, options: SshConnectOptions): Promise<SshConnection> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let mismatch: HostKeyMismatch | undefined;
      const onError = (error: Error & { level?: string }) => {
        client.removeListener('ready', onReady);
        // ssh2 may report more errors while tearing down (e.g. "connection lost"): ignore them.
        client.on('error', () => undefined);
        client.destroy();
        reject(mismatch ?? classify(error, target, options.readyTimeoutMs));
      };
      const onReady = () => {
        client.removeListener('error', onError);
        resolve(new SshConnection(client, target, options.readyTimeoutMs));
      };
      client.once('error', onError);
      client.once('ready', onReady);
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: options.privateKey,
        ...(options.passphrase ? { passphrase: options.passphrase } : {}),
        readyTimeout: options.readyTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
        // Runs during key exchange, before any authentication or command: a key that
        // does not match the pin ends the connection here.
        hostVerifier: (key: Buffer) => {
          const actual = hostKeyFingerprint(key);
          if (fingerprintMatches(target.hostKeyFingerprint, actual)) return true;
          mismatch = new HostKeyMismatch(`${target.host}:${target.port}`, target.hostKeyFingerprint, actual);
          return false;
        },
      });
    });
  }

  get lost(): Error | undefined {
    return this.lostReason;
  }

  onLost(listener: (reason: Error) => void): () => void {
    if (this.lostReason) {
      listener(this.lostReason);
      return () => undefined;
    }
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  exec(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
    });
  }

  close(): void {
    this.client.end();
    // end() waits politely for the server; a frozen server never answers.
    setTimeout(() => this.client.destroy(), 1_000).unref();
  }

  private markLost(reason: Error): void {
    if (this.lostReason) return;
    this.lostReason = reason;
    for (const listener of this.lostListeners) listener(reason);
    this.lostListeners.clear();
  }
}
