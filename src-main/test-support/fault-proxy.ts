import { createServer, connect, type Server, type Socket } from 'node:net';

/** What the proxy does to the next connections; each function is asked once per connection. */
export interface FaultPlan {
  /** Refuse the connection (accept, then reset at once): the server is "down". */
  refuse?: () => boolean;
  /** Cut both sides after this many bytes towards the server (mid-transfer); null: never. */
  dropAfterBytes?: () => number | null;
  /** Hold each chunk the server answers for this many ms (a slow PACS); 0: none. */
  answerDelayMs?: () => number;
}

export interface FaultCounts {
  connections: number;
  refused: number;
  dropped: number;
  slowed: number;
}

export interface FaultProxy {
  readonly port: number;
  readonly counts: FaultCounts;
  /** Faults injected so far (refused + dropped + slowed connections). */
  faults(): number;
  setPlan(plan: FaultPlan): void;
  /** Points the proxy at another server port (a restarted server). */
  setUpstream(port: number): void;
  /** Cuts every open connection now. */
  cutAll(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback that the tests put between the sync and the PACS to inject faults:
 * connections refused, dropped mid-transfer, answers delayed. It counts what it did, so a test
 * can print how many faults the sync went through.
 */
export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  let upstream = upstreamPort;
  let plan: FaultPlan = {};
  const counts: FaultCounts = { connections: 0, refused: 0, dropped: 0, slowed: 0 };
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    counts.connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (plan.refuse?.() === true) {
      counts.refused++;
      client.resetAndDestroy();
      return;
    }
    const budget = plan.dropAfterBytes?.() ?? null;
    const delay = plan.answerDelayMs?.() ?? 0;
    if (delay > 0) counts.slowed++;
    const target = connect(upstream, '127.0.0.1');
    open.add(target);
    target.on('close', () => {
      open.delete(target);
      client.destroy();
    });
    target.on('error', () => client.destroy());
    client.on('close', () => target.destroy());
    let sent = 0;
    let isCut = false;
    client.on('data', (chunk: Buffer) => {
      if (isCut) return;
      if (budget !== null && sent + chunk.length > budget) {
        isCut = true;
        counts.dropped++;
        // Part of the chunk reaches the server, then both sides lose the connection.
        target.write(chunk.subarray(0, Math.max(0, budget - sent)), () => {
          target.resetAndDestroy();
          client.resetAndDestroy();
        });
        return;
      }
      sent += chunk.length;
      target.write(chunk);
    });
    target.on('data', (chunk: Buffer) => {
      if (delay === 0) client.write(chunk);
      else {
        target.pause();
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
          target.resume();
        }, delay);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');

  return {
    port: address.port,
    counts,
    faults: () => counts.refused + counts.dropped + counts.slowed,
    setPlan(next) {
      plan = next;
    },
    setUpstream(port) {
      upstream = port;
    },
    cutAll() {
      for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
