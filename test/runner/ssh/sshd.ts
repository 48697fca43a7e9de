// A private sshd on a free loopback port for the SSH tests (issue 17): temp host key, temp client key, temp
// authorized_keys. The remote "host" is this machine, with HOME set to a temp dir by the key's environment=
// option (so the login shell reads no rc file of the real user). Needs root and /usr/sbin/sshd.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
/** True when the tests can start their own sshd here. */
export const canRunSshd = existsSync(SSHD) && process.getuid?.() === 0 && spawnSync('ssh', ['-V']).status === 0;

/** A running test sshd. */
export interface TestSshd {
  dir: string;
  port: number;
  /** The agent's `host:` value. */
  host: string;
  /** The agent's `ssh_options:` (key, known_hosts pinned, strict checking). */
  sshOptions: string[];
  /** HOME of the remote login. */
  remoteHome: string;
  /** Short private dir for control sockets. */
  controlDir: string;
  /** pids of every process of this sshd (listener and per-connection). */
  pids(): number[];
  /** Stops the listener and every session (like a host going away). */
  stop(): void;
  /** Starts the listener again with the same keys and port. */
  start(): Promise<void>;
  /** Regenerates the host key (the known_hosts entry no longer matches). */
  changeHostKey(): Promise<void>;
  cleanup(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Starts an sshd with its own keys on a free loopback port; `extraConfig` adds sshd_config lines (e.g. AllowTcpForwarding no).
export async function startSshd(options: { extraConfig?: string[] } = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'adssh-'));
  const remoteHome = join(dir, 'home');
  const controlDir = join(dir, 'cm');
  mkdirSync(remoteHome);
  mkdirSync(controlDir, { mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true });
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  keygen(join(dir, 'hostkey'));
  keygen(join(dir, 'clientkey'));
  writeFileSync(join(dir, 'authorized_keys'), `environment="HOME=${remoteHome}" ${readFileSync(join(dir, 'clientkey.pub'), 'utf8')}`);
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'hostkey')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    // The temp dir is not root-owned all the way up as StrictModes wants; a real host keeps it on.
    'StrictModes no',
    'PermitUserEnvironment HOME',
    'PrintMotd no',
    'PrintLastLog no',
    'MaxSessions 50',
    'MaxStartups 50',
    ...(options.extraConfig ?? []),
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  const pinHostKey = () => writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'hostkey.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  pinHostKey();
  const pidFile = join(dir, 'sshd.pid');
  const start = async () => {
    execFileSync(SSHD, ['-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')]);
    await waitForPort(port);
  };
  const listenerPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined);
  // Every process whose command line names this sshd's config, plus their children (the session processes).
  const pids = () => {
    const out = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout;
    const rows = out.split('\n').filter(Boolean).map((line) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
      return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! };
    });
    const found = new Set<number>();
    const root = listenerPid();
    if (root !== undefined) found.add(root);
    // The listener's descendants that are sshd processes (per-connection monitors and session processes).
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of rows) {
        if (!found.has(r.pid) && found.has(r.ppid) && r.args.startsWith('sshd')) {
          found.add(r.pid);
          grew = true;
        }
      }
    }
    return [...found];
  };
  const stop = () => {
    for (const pid of pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    rmSync(pidFile, { force: true });
  };
  await start();
  return {
    dir,
    port,
    host: `root@127.0.0.1:${port}`,
    sshOptions: [`IdentityFile=${join(dir, 'clientkey')}`, 'IdentitiesOnly=yes', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, 'StrictHostKeyChecking=yes'],
    remoteHome,
    controlDir,
    pids,
    stop,
    start,
    async changeHostKey() {
      stop();
      rmSync(join(dir, 'hostkey'));
      rmSync(join(dir, 'hostkey.pub'));
      keygen(join(dir, 'hostkey'));
      await start();
    },
    cleanup() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
