import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { MIB, TelegramEmulator, type EmulatorOptions } from "../support/telegram/index.js";

const CHAT = 1001;
let dir: string;
let emu: TelegramEmulator | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "emulator-files-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(options: EmulatorOptions): Promise<{ emu: TelegramEmulator; api: Api }> {
  emu = await TelegramEmulator.start(options);
  emu.user({ id: CHAT, firstName: "Alice" });
  return { emu, api: new Api(emu.token, { apiRoot: emu.apiRoot }) };
}

async function failure(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  return error;
}

/** A file that claims `size` bytes but occupies (almost) no disk: stat sees the size. */
function sparseFile(name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe("cloud profile", () => {
  test("a small upload is stored, described and downloadable", async () => {
    const { emu, api } = await start({ profile: "cloud" });
    const bytes = Buffer.from("not really an mp4");
    const sent = await api.sendVideo(CHAT, new InputFile(bytes, "clip.mp4"), {
      duration: 12, width: 640, height: 360, supports_streaming: true, caption: "<b>Clip</b>", parse_mode: "HTML",
      thumbnail: new InputFile(Buffer.from("jpeg"), "thumb.jpg"),
    });
    expect(sent.video).toMatchObject({ file_name: "clip.mp4", mime_type: "video/mp4", file_size: bytes.length, duration: 12, width: 640, height: 360 });
    expect(sent.video?.thumbnail).toMatchObject({ width: 320, height: 180 });
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 0, length: 4 }]);
    const [view] = emu.chatMessages(CHAT);
    expect(view?.media).toMatchObject({ kind: "video", fileName: "clip.mp4", duration: 12, supportsStreaming: true, hasThumbnail: true });
    const file = await api.getFile(sent.video?.file_id ?? "");
    expect(file.file_path).toMatch(/^videos\/file_\d+\.mp4$/);
    const download = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    // a file_id can be sent again and keeps its identity
    const again = await api.sendVideo(CHAT, sent.video?.file_id ?? "");
    expect(again.video?.file_unique_id).toBe(sent.video?.file_unique_id);
    expect(emu.violations).toEqual([]);
  });

  test("uploads above 50 MB get 413 Request Entity Too Large", async () => {
    const { emu, api } = await start({ profile: "cloud" });
    const error = await api.sendDocument(CHAT, new InputFile(Buffer.alloc(50 * MIB + 1), "big.bin")).then(
      () => undefined,
      (e: unknown) => e,
    );
    const described = error instanceof GrammyError ? `${error.error_code} ${error.description}` : error instanceof HttpError ? "http error" : String(error);
    expect(described).toBe("413 Request Entity Too Large");
    expect(emu.violations.map((v) => v.message)).toEqual(["Request Entity Too Large"]);
    await expect(api.sendDocument(CHAT, new InputFile(Buffer.alloc(1024), "small.bin"))).resolves.toBeDefined();
  });

  test("a file:// path is not a URL api.telegram.org can use", async () => {
    const { emu, api } = await start({ profile: "cloud" });
    const path = join(dir, "cloud.mp4");
    writeFileSync(path, "x");
    expect((await failure(api.sendVideo(CHAT, pathToFileURL(path).href))).description).toBe(
      "Bad Request: wrong file identifier/HTTP URL specified",
    );
    expect(emu.violations).toHaveLength(1);
  });

  test("unknown file ids and getFile limits", async () => {
    const { emu, api } = await start({ profile: "cloud" });
    expect((await failure(api.sendVideo(CHAT, "BAACAgIAAxkBAAnotreal"))).description).toBe(
      "Bad Request: wrong file identifier/HTTP URL specified",
    );
    expect((await failure(api.getFile("nope"))).description).toBe("Bad Request: invalid file_id");
    const sent = await api.sendVideo(CHAT, new InputFile(Buffer.alloc(21 * MIB), "21mb.mp4"));
    expect((await failure(api.getFile(sent.video?.file_id ?? ""))).description).toBe("Bad Request: file is too big");
    expect(emu.violations).toEqual([]);
  });
});

describe("local profile", () => {
  test("file:// paths are read from disk: small real file accepted", async () => {
    const { emu, api } = await start({ profile: "local" });
    const path = join(dir, "lecture.mp4");
    writeFileSync(path, Buffer.alloc(4096, 1));
    const sent = await api.sendVideo(CHAT, pathToFileURL(path).href, { duration: 60 });
    expect(sent.video).toMatchObject({ file_name: "lecture.mp4", file_size: 4096, duration: 60 });
    expect((await api.getFile(sent.video?.file_id ?? "")).file_path).toBe(path);
    expect(emu.violations).toEqual([]);
  });

  test("a sparse 2100 MB file is too big, 1999 MB passes", async () => {
    const { emu, api } = await start({ profile: "local" });
    const huge = sparseFile("huge.mp4", 2100 * MIB);
    expect((await failure(api.sendVideo(CHAT, pathToFileURL(huge).href))).description).toBe("Bad Request: file is too big");
    const fits = sparseFile("fits.mp4", 1999 * MIB);
    const sent = await api.sendVideo(CHAT, pathToFileURL(fits).href);
    expect(sent.video?.file_size).toBe(1999 * MIB);
    expect(emu.violations.map((v) => v.message)).toEqual(["Bad Request: file is too big"]);
  });

  test("a missing file is an error, not a violation", async () => {
    const { emu, api } = await start({ profile: "local" });
    expect((await failure(api.sendVideo(CHAT, pathToFileURL(join(dir, "gone.mp4")).href))).description).toBe("Bad Request: file not found");
    expect(emu.errors).toHaveLength(1);
    expect(emu.violations).toEqual([]);
  });

  test("uploads are counted, not buffered: the limit bites mid-stream and big files are not kept", async () => {
    const { emu, api } = await start({ profile: "local", uploadLimitBytes: 2 * MIB });
    const refused = await failure(api.sendDocument(CHAT, new InputFile(Buffer.alloc(3 * MIB), "three.bin")));
    expect(refused.error_code).toBe(413);
    const sent = await api.sendDocument(CHAT, new InputFile(Buffer.alloc(MIB + 1), "kept-head-only.bin"));
    const file = await api.getFile(sent.document?.file_id ?? "");
    expect(file.file_size).toBe(MIB + 1);
    const download = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    expect(download.status).toBe(404);
  });
});
