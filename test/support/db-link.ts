import { createServer, createConnection, type Server, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A network link between one process and the PostgreSQL server that the test can take down: a relay on a
 * unix socket of its own, in front of the server's socket. Down, it forwards nothing in either direction and
 * keeps every connection open, as a cut cable does: the process's queries hang rather than fail. Up again,
 * what was held back flows on.
 */
export class DatabaseLink {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Bytes that reached the relay while the link was down, delivered when it comes back up. */
  private held: (() => void)[] = [];
  private up = true;
  /** The relay's socket folder: use it as the `host` of the process's database URL. */
  readonly dir = mkdtempSync(join(tmpdir(), "vidlib-link-"));

  private constructor(private readonly target: string, readonly port: number) {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      const pair = { client, upstream };
      this.pairs.add(pair);
      const close = () => { client.destroy(); upstream.destroy(); this.pairs.delete(pair); };
      client.on("error", close).on("close", close);
      upstream.on("error", close).on("close", close);
      const forward = (to: Socket) => (chunk: Buffer) => {
        const send = () => { if (!to.destroyed) to.write(chunk); };
        if (this.up) send();
        else this.held.push(send);
      };
      client.on("data", forward(upstream));
      upstream.on("data", forward(client));
    });
  }

  /** A link to the server a test database URL names (`?host=<socket folder>&port=<n>`). */
  static async to(serverUrl: string): Promise<DatabaseLink> {
    const url = new URL(serverUrl);
    const host = url.searchParams.get("host");
    const port = Number(url.searchParams.get("port") ?? "5432");
    if (host === null || !host.startsWith("/")) throw new Error("the database link relays a unix-socket server only");
    const link = new DatabaseLink(join(host, `.s.PGSQL.${port}`), port);
    await new Promise<void>((resolve, reject) => {
      link.server.once("error", reject);
      link.server.listen(join(link.dir, `.s.PGSQL.${port}`), resolve);
    });
    return link;
  }

  /** `url` with its host replaced by this link. */
  through(url: string): string {
    const parsed = new URL(url);
    parsed.searchParams.set("host", this.dir);
    parsed.searchParams.set("port", String(this.port));
    return parsed.toString();
  }

  /** Takes the link down: nothing passes, nothing is closed. */
  cut(): void {
    this.up = false;
  }

  /** Brings the link back up; what was held back flows on, in order. */
  restore(): void {
    this.up = true;
    for (const send of this.held.splice(0)) send();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) { client.destroy(); upstream.destroy(); }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
