import { describe, expect, it } from "vitest";
import { auditCsv, csvField, describeFilter, parseAuditFilter } from "../../src/services/audit/audit-filter.js";

describe("/audit filters", () => {
  it("parses every filter and writes it back the same way", () => {
    const parsed = parseAuditFilter("video:12 user:1001 channel:-1001234 action:upload from:2026-11-01 to:2026-11-20");
    expect(parsed).toEqual({ ok: true, filter: { videoId: 12, actor: "1001", channel: -1001234, action: "upload", from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 21) - 1 } });
    if (parsed.ok) expect(describeFilter(parsed.filter)).toBe("video:12 user:1001 channel:-1001234 action:upload from:2026-11-01 to:2026-11-20");
    expect(parseAuditFilter("")).toEqual({ ok: true, filter: {} });
  });

  it("refuses what it does not understand, saying how to write it", () => {
    expect(parseAuditFilter("colour:red")).toMatchObject({ ok: false, problem: expect.stringContaining("unknown filter") as unknown });
    expect(parseAuditFilter("from:20-11-2026")).toMatchObject({ ok: false, problem: expect.stringContaining("2026-11-20") as unknown });
    expect(parseAuditFilter("video:abc")).toMatchObject({ ok: false });
  });

  it("writes CSV that spreadsheets read safely", () => {
    expect(csvField('a "quoted", value')).toBe('"a ""quoted"", value"');
    expect(csvField("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    const csv = auditCsv([{ id: 1, at: Date.UTC(2026, 10, 20, 8), actorKind: "user", actorId: "1001", action: "upload.sent", targetType: "video", targetId: "3", before: null, after: '{"a":"line\nbreak"}' }]);
    expect(csv).toBe('id,time_utc,actor_kind,actor_id,action,target_type,target_id,before,after\r\n1,2026-11-20T08:00:00.000Z,user,1001,upload.sent,video,3,,"{""a"":""line\nbreak""}"\r\n');
  });
});
