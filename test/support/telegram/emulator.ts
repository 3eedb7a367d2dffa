import { EmulatorCore } from "./core.js";
import { createChannelRecord, EmulatedChannel, type ChannelSpec } from "./driver/channel.js";
import { EmulatedUser } from "./driver/user.js";
import { toView } from "./driver/view.js";
import { waitUntil } from "./driver/wait.js";
import type { FaultInjector } from "./faults.js";
import { startServer, type RunningServer } from "./http/server.js";
import type { JsonObject } from "./json.js";
import { IMPLEMENTED_METHODS } from "./methods/registry.js";
import { resolveOptions, type EmulatorOptions, type Profile } from "./options.js";
import type { ChatActionRecord, ErrorRecord, RequestRecord, Violation, ViewMessage } from "./public-types.js";
import type { BotIdentity } from "./state/api-objects.js";
import { DEFAULT_SCOPE, type BotCommandEntry } from "./state/commands.js";

export interface UserSpec {
  readonly id: number;
  readonly firstName: string;
  readonly lastName?: string;
  readonly username?: string;
  readonly languageCode?: string;
}

/**
 * A Telegram Bot API server for tests: point a real bot at `apiRoot` and
 * drive it from the users' side. See README.md in this folder.
 */
export class TelegramEmulator {
  private readonly users = new Map<number, EmulatedUser>();

  private constructor(
    private readonly core: EmulatorCore,
    private readonly server: RunningServer,
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<TelegramEmulator> {
    const core = new EmulatorCore(resolveOptions(options));
    return new TelegramEmulator(core, await startServer(core));
  }

  /** e.g. "http://127.0.0.1:40123" — grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return this.server.apiRoot;
  }

  get token(): string {
    return this.core.options.token;
  }

  get profile(): Profile {
    return this.core.options.profile;
  }

  get bot(): BotIdentity {
    return this.core.bot;
  }

  get faults(): FaultInjector {
    return this.core.faults;
  }

  /**
   * Takes the server off the network: open connections are cut and new ones refused (ECONNREFUSED), as
   * when Telegram (or the Local Bot API server) is down. Such attempts never reach the emulator, so
   * they are not in `requests`. `acceptConnections()` brings it back on the same address.
   */
  refuseConnections(): Promise<void> {
    return this.server.refuse();
  }

  acceptConnections(): Promise<void> {
    return this.server.accept();
  }

  /** Every request the bot made, oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.core.requests;
  }

  /** Requests a correct bot would never make; expect this to stay empty. */
  get violations(): readonly Violation[] {
    return this.core.violations;
  }

  /** Telegram errors a correct bot can still get (not modified, blocked, stale query …). */
  get errors(): readonly ErrorRecord[] {
    return this.core.errors;
  }

  /** Requests for methods the emulator only validates and answers with `true` (see IMPLEMENTED_METHODS). */
  get unimplemented(): readonly RequestRecord[] {
    const implemented = new Set(IMPLEMENTED_METHODS.map((name) => name.toLowerCase()));
    return this.core.requests.filter((r) => !implemented.has(r.method.toLowerCase()) && r.status !== 404);
  }

  /** How many 429 answers the optional rate limiter issued. */
  get rateLimitedCount(): number {
    return this.core.rateLimiter?.issued ?? 0;
  }

  /** A user with a private chat with the bot (created on first call, reused afterwards). */
  user(spec: UserSpec): EmulatedUser {
    const existing = this.users.get(spec.id);
    if (existing !== undefined) return existing;
    const record = { ...spec, blocked: false };
    this.core.store.users.set(spec.id, record);
    this.core.store.chats.set(spec.id, { kind: "private", id: spec.id, userId: spec.id });
    const user = new EmulatedUser(this.core, record);
    this.users.set(spec.id, user);
    return user;
  }

  /** A channel that exists before the test starts (no update is sent for its creation). */
  channel(spec: ChannelSpec): EmulatedChannel {
    if (spec.id >= 0) throw new Error(`channel ids are negative (got ${spec.id})`);
    const record = createChannelRecord(spec);
    this.core.store.chats.set(spec.id, record);
    return new EmulatedChannel(this.core, record);
  }

  /** Messages of any chat (private or channel) as people see them, oldest first. */
  chatMessages(chatId: number): ViewMessage[] {
    return this.core.store.chatMessages(chatId).map(toView);
  }

  /** What setMyCommands stored for a scope (default scope, no language unless given). */
  commands(options: { scope?: JsonObject; languageCode?: string } = {}): BotCommandEntry[] {
    return this.core.commands.get(options.scope ?? DEFAULT_SCOPE, options.languageCode ?? "").map((c) => ({ ...c }));
  }

  chatActions(chatId?: number): ChatActionRecord[] {
    return this.core.chatActions.filter((action) => chatId === undefined || action.chatId === chatId);
  }

  /** Updates waiting for the bot (not yet confirmed by a getUpdates offset). */
  pendingUpdates(): JsonObject[] {
    return this.core.updates.pending();
  }

  /**
   * Resolves with the first request for a method (or matching a predicate) that
   * arrived since the last user action; it resolves when the request arrives,
   * before it is answered (status 0 until then).
   */
  waitForRequest(match: string | ((request: RequestRecord) => boolean), options: { timeoutMs?: number } = {}): Promise<RequestRecord> {
    const test = typeof match === "string" ? (r: RequestRecord) => r.method.toLowerCase() === match.toLowerCase() : match;
    const from = this.core.lastActionRequestIndex;
    return waitUntil({
      core: this.core,
      timeoutMs: options.timeoutMs ?? this.core.options.defaultTimeoutMs,
      describe: () => `waited for request ${String(match)}; seen since the last user action: ${this.methodsSince(from)}`,
      subscribe: (wake) => {
        this.core.events.on("request", wake);
        return () => this.core.events.off("request", wake);
      },
      check: () => this.core.requests.slice(from).find(test),
    });
  }

  /**
   * Resolves once no request (long polls aside) is being processed, i.e. the
   * bot has been answered for everything it asked. A user sees a message as
   * soon as the emulator stores it, before the bot has its sendMessage answer;
   * wait for this before killing a bot process to mimic "the send completed".
   * Hung and dropped requests count as done.
   */
  waitForIdle(options: { timeoutMs?: number } = {}): Promise<void> {
    return waitUntil({
      core: this.core,
      timeoutMs: options.timeoutMs ?? this.core.options.defaultTimeoutMs,
      describe: () => `waited for the bot's requests to be answered; still in flight: ${JSON.stringify([...this.core.inFlight].map((r) => r.method))}`,
      subscribe: (wake) => {
        this.core.events.on("answered", wake);
        return () => this.core.events.off("answered", wake);
      },
      check: () => (this.core.inFlight.size === 0 ? true : undefined),
    }).then(() => undefined);
  }

  private methodsSince(from: number): string {
    return JSON.stringify(this.core.requests.slice(from).map((r) => `${r.method}:${r.status}`));
  }

  clearViolations(): void {
    this.core.violations.length = 0;
  }

  clearErrors(): void {
    this.core.errors.length = 0;
  }

  /** Closes every connection (long polls and hung requests included) and rejects pending waits. */
  async stop(): Promise<void> {
    if (this.core.stopped) return;
    this.core.stopped = true;
    this.core.events.emit("stopped");
    await this.server.close();
  }
}
