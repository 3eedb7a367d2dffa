import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorCore } from "../core.js";
import { Dispatcher } from "./dispatcher.js";

export interface RunningServer {
  readonly apiRoot: string;
  /** Stops listening and cuts every open connection: new connections are refused (ECONNREFUSED) until accept(). */
  refuse(): Promise<void>;
  /** Listens again on the same address. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the HTTP side on 127.0.0.1 (a random port unless one is given). */
export async function startServer(core: EmulatorCore): Promise<RunningServer> {
  const dispatcher = new Dispatcher(core);
  const server: Server = createServer({ keepAliveTimeout: 30_000 }, dispatcher.handle);
  // long polls and hung requests may stay open far beyond Node's defaults
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(core.options.port, core.options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections(); // ends long polls, hangs and idle keep-alive sockets
    });
  return {
    apiRoot: `http://${core.options.host}:${port}`,
    // Once every socket is closed, one more turn of the event loop lets a client in this process read the
    // FIN on the keep-alive sockets it pools, so its next request opens a new connection and is refused.
    refuse: async () => {
      await close();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setImmediate(resolve));
    },
    accept: () =>
      new Promise<void>((resolve, reject) => {
        if (server.listening) return resolve();
        server.once("error", reject);
        server.listen(port, core.options.host, () => {
          server.off("error", reject);
          resolve();
        });
      }),
    close,
  };
}
