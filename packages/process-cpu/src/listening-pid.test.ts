import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listeningInodes, pidListeningOn } from './listening-pid.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1081 1 0000000065d63d0b 100 0 0 10 0
   1: 0100007F:7E32 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 297725 1 00000000b4bcc257 100 0 0 10 0
   2: 0100007F:7E32 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 297999 1 00000000b4bcc257 100 0 0 10 0
`;

describe('listeningInodes', () => {
  it('picks the LISTEN rows of the port (hex), not connections to it', () => {
    expect([...listeningInodes(TCP, 0x7e32)]).toEqual([297725]);
    expect([...listeningInodes(TCP, 2024)]).toEqual([1081]);
    expect(listeningInodes(TCP, 1).size).toBe(0);
  });
});

describe('pidListeningOn', () => {
  it('finds this process behind a port it listens on', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      expect(pidListeningOn(port)).toBe(process.pid);
    } finally {
      server.close();
    }
  });
});
