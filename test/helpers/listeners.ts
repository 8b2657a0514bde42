// Which addresses a TCP port listens on, as the kernel says (/proc/net/tcp and tcp6), so a test can
// tell a socket bound to loopback from one bound to every interface.
import { readdir, readFile, readlink } from 'node:fs/promises';

const listen = '0A';

/** The kernel's hex of an address (32-bit words in host order, little-endian here) as text: 127.0.0.1, ::, ::1. */
function address(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // URL writes an IPv6 address in its shortest form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.replace(/^\[|\]$/g, '');
}

/** Every local address a socket listening on `port` is bound to. */
export async function listeningAddresses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== listen) continue;
      const [host, portHex] = local.split(':');
      if (host && portHex && parseInt(portHex, 16) === port) found.push(address(host));
    }
  }
  return [...new Set(found)].sort();
}

/** Every socket a process listens on: its address and port (the kernel's tables matched to the process's open sockets). */
export async function listeningSocketsOf(pid: number): Promise<{ address: string; port: number }[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  const inodes = new Set<string>();
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const found: { address: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [host, portHex] = (fields[1] ?? '').split(':');
      if (fields[3] !== listen || !host || !portHex || !inodes.has(fields[9] ?? '')) continue;
      found.push({ address: address(host), port: parseInt(portHex, 16) });
    }
  }
  return found.sort((a, b) => a.port - b.port);
}
