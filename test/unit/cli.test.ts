import { describe, expect, test } from "vitest";
import { cli } from "../support/cli.js";
import { COMMANDS } from "../../src/cli/commands.js";

// Only what runs before the configuration is read: help and usage errors.
describe("vidlib command line", () => {
  test("vidlib help lists every command and the exit codes", async () => {
    for (const args of [[], ["help"], ["--help"], ["-h"]]) {
      const result = await cli(...args);
      expect(result.code).toBe(0);
      for (const name of Object.keys(COMMANDS)) expect(result.out).toMatch(new RegExp(`^  ${name} `, "m"));
      expect(result.out).toContain("Exit codes: 0 success; 1 the work failed or needs attention; 2 a usage or configuration error");
    }
  });

  test("every command has help, as vidlib help <command> and as <command> --help", async () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect(await cli("help", name)).toEqual({ code: 0, out: command.usage, err: "" });
      expect(await cli(name, "--help")).toEqual({ code: 0, out: command.usage, err: "" });
      expect(command.usage).toMatch(new RegExp(`^Usage:[\\s\\S]*vidlib ${name}`));
    }
    expect((await cli("sync", "help")).out).toBe(COMMANDS.sync.usage);
  });

  test("an unknown option, a missing value or an extra argument is a usage error (2) that shows the command's help", async () => {
    const unknown = await cli("scan", "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`vidlib scan: Unknown option '--bogus'.\n\n${COMMANDS.scan.usage}`);
    expect(await cli("worker", "--roles")).toMatchObject({ code: 2, err: expect.stringContaining("vidlib worker: Option '--roles <value>' argument missing") as unknown });
    expect(await cli("convert", "--retry-failed=yes")).toMatchObject({ code: 2, err: expect.stringContaining("does not take an argument") as unknown });
    expect(await cli("backup", "one.sqlite", "two.sqlite")).toMatchObject({ code: 2, err: expect.stringContaining("unexpected argument: two.sqlite") as unknown });
    expect(await cli("migrate", "now")).toMatchObject({ code: 2, out: "" });
  });

  test("an unknown command, or help about one, is a usage error", async () => {
    expect(await cli("scna")).toMatchObject({ code: 2, out: "", err: expect.stringMatching(/^Unknown command "scna"\.\n\nUsage: vidlib <command>/) as unknown });
    expect(await cli("help", "scna")).toMatchObject({ code: 2, out: "" });
  });
});
