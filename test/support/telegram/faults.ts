/** What can go wrong between a bot and Telegram, on purpose. */
export type FaultSpec =
  | { readonly method: string; readonly kind: "429"; readonly retryAfter?: number }
  | {
      readonly method: string;
      readonly kind: "5xx";
      readonly status?: number;
      /** "json" (default) answers like the Bot API does; "html" like the nginx error page in front of it. */
      readonly body?: "json" | "html";
    }
  /** A refusal such as Telegram gives (400, 403…), with its description. */
  | { readonly method: string; readonly kind: "error"; readonly status: number; readonly description: string }
  | { readonly method: string; readonly kind: "delay"; readonly ms: number }
  | { readonly method: string; readonly kind: "hang" }
  | { readonly method: string; readonly kind: "drop" }
  /** The whole request arrives and is processed (the message is posted), then the connection is destroyed before the answer. */
  | { readonly method: string; readonly kind: "drop-after-processing" }
  /** The request is processed, then never answered: the client's own timeout ends it. */
  | { readonly method: string; readonly kind: "hang-after-processing" }
  /** The connection is destroyed as soon as the first bytes of the body arrive: the request is never read whole, never processed. */
  | { readonly method: string; readonly kind: "drop-during-body" };

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** How many requests this fault has hit so far. */
  readonly hits: number;
  /** How many more requests it will hit. */
  readonly remaining: number;
  remove(): void;
}

class Fault implements FaultHandle {
  hits = 0;

  constructor(
    readonly spec: FaultSpec,
    public remaining: number,
    private readonly owner: FaultInjector,
  ) {}

  remove(): void {
    this.owner.remove(this);
  }
}

/**
 * Faults are matched in the order they were added. `method: "*"` matches every
 * method except getUpdates, because a polling bot calls getUpdates constantly
 * and a wildcard would otherwise hit it first; name getUpdates to fault it.
 */
export class FaultInjector {
  private faults: Fault[] = [];

  add(spec: FaultSpec, times = 1): FaultHandle {
    const fault = new Fault(spec, times, this);
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly FaultHandle[] {
    return [...this.faults];
  }

  remove(fault: FaultHandle): void {
    this.faults = this.faults.filter((f) => f !== fault);
  }

  /** Consumes one hit of the first fault matching the method. */
  take(method: string): FaultSpec | undefined {
    const lower = method.toLowerCase();
    const fault = this.faults.find((f) => matches(f.spec.method, lower));
    if (fault === undefined) return undefined;
    fault.hits++;
    fault.remaining--;
    if (fault.remaining <= 0) this.remove(fault);
    return fault.spec;
  }
}

function matches(pattern: string, method: string): boolean {
  return pattern === "*" ? method !== "getupdates" : pattern.toLowerCase() === method;
}

export const STATUS_TEXTS: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
