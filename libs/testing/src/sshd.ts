import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  host: string;
  port: number;
  user: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** A client key the server accepts (authorized_keys). */
  clientKeyPath: string;
  dir: string;
  /** Connections sshd logged ("Connection from …"), to prove one was or was not made. */
  connectionCount(): number;
  log(): string;
  /** SIGSTOP / SIGCONT the listening daemon: new connections then hang before the banner. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bridgefleet-test', '-f', path], { stdio: 'ignore' });
}

/** The `SHA256:…` field of `ssh-keygen -lf <file>`. */
export function sshKeygenFingerprint(publicKeyPath: string): string {
  const line = execFileSync('ssh-keygen', ['-lf', publicKeyPath], { encoding: 'utf8' });
  const fingerprint = line.split(/\s+/)[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output: ${line}`);
  return fingerprint;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the server sends its SSH banner. */
function bannerArrives(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}

/**
 * Starts a real OpenSSH sshd on 127.0.0.1 and an ephemeral port, with a fresh host key
 * and a client key in a temp dir. Needs /usr/sbin/sshd (apt-get install openssh-server).
 */
export async function startSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install -y openssh-server`);
  const dir = mkdtempSync(join(tmpdir(), 'bf-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  // sshd running as root insists on its privilege-separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UseDNS no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const logPath = join(dir, 'sshd.log');
  const logFd = openSync(logPath, 'a');
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readLog = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');

  const startedBy = Date.now() + 10_000;
  while (!(await bannerArrives(port, 500))) {
    if (child.exitCode !== null || Date.now() > startedBy) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start:\n${readLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The readiness probe above is itself a connection; count only the ones after it.
  const baseline = (readLog().match(/Connection from /g) ?? []).length;

  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    hostKeyFingerprint: sshKeygenFingerprint(`${hostKey}.pub`),
    clientKeyPath: clientKey,
    dir,
    connectionCount: () => (readLog().match(/Connection from /g) ?? []).length - baseline,
    log: readLog,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SilentListener {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP server that accepts connections and never says a word (a hung sshd, a black-holed port). */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
