import { describe, expect, test } from "vitest";
import { Api, HttpError } from "grammy";
import { pino } from "pino";
import { createLogger } from "../../src/infra/logging/logger.js";
import { redactSecrets } from "../../src/infra/logging/redact.js";
import { CaptureStream } from "../support/capture-stream.js";

const TOKEN = "123456789:AAHsecretsecretsecretsecretsecret0123";

async function realHttpError(): Promise<HttpError> {
  try {
    // Port 1 on loopback refuses connections: grammY wraps node-fetch's error, whose text holds the URL.
    await new Api(TOKEN, { apiRoot: "http://127.0.0.1:1" }).getMe();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error("expected the request to fail");
}

describe("token redaction", () => {
  test("grammY's HttpError really carries the token, and an unprotected pino logger leaks it", async () => {
    const error = await realHttpError();
    const raw = new CaptureStream();
    pino({}, raw).error({ err: error }, "failed");
    expect(raw.text).toContain(TOKEN);
  });

  test("vidlib's logger never writes the token, whatever carries it", async () => {
    const error = await realHttpError();
    const out = new CaptureStream();
    const logger = createLogger({ level: "trace", pretty: false, secrets: [TOKEN], destination: out });
    logger.error({ err: error }, "network failure");
    logger.info(`token in the message ${TOKEN}`);
    logger.warn({ url: `http://127.0.0.1:8081/bot${TOKEN}/getMe` }, "nested");
    logger.debug({ other: "987654321:ZZZotherbottokenotherbottoken0000000" }, "any token-shaped value");
    expect(out.lines()).toHaveLength(4);
    expect(out.text).toContain("Network request for 'getMe' failed");
    expect(out.text).toContain("<redacted>");
    expect(out.text).not.toContain(TOKEN);
    expect(out.text).not.toContain("AAHsecretsecret");
    expect(out.text).not.toContain("ZZZotherbottoken");
  });

  test("the pretty terminal format is redacted too", async () => {
    const out = new CaptureStream();
    const logger = createLogger({ level: "info", pretty: true, secrets: [TOKEN], destination: out });
    logger.error({ err: await realHttpError() }, "network failure");
    await new Promise((r) => setTimeout(r, 50));
    expect(out.text).toContain("network failure");
    expect(out.text).not.toContain(TOKEN);
  });

  test("redactSecrets leaves ordinary text alone", () => {
    expect(redactSecrets("Physics L04 at 12:30, id 123456", [TOKEN])).toBe("Physics L04 at 12:30, id 123456");
    expect(redactSecrets(`a ${TOKEN} b`, [])).toBe("a <redacted> b");
  });
});
