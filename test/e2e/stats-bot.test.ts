import { decode } from "fast-png";
import { afterEach, describe, expect, test } from "vitest";
import { CHART_WIDTH } from "../../src/services/stats/weekly-chart.js";
import { systemActor } from "../../src/services/people/actor.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import { SearchLog } from "../../src/entities/search-log.js";

const VIEWER = 4004;

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("analytics through the bot", () => {
  test("chat and inline searches and the chosen results are recorded; /stats answers with the figures and a PNG chart", async () => {
    h = await startPublishHarness();
    const { services } = h.app;
    h.clip("JEE-Adv_Phy-ElectroStatics_L04.mp4");
    h.clip("Chem_Organic_L01.mp4");
    await h.scan();
    const l4 = await h.videoId("JEE-Adv_Phy-ElectroStatics_L04.mp4");
    await services.roles.setRole(systemActor("test"), VIEWER, "viewer");
    const viewer = h.emu.user({ id: VIEWER, firstName: "Vera" });

    await viewer.send("jee advanced physics electrostatics lecture 4");
    await viewer.waitForBotMessage((m) => m.text?.startsWith("🔎") ?? false);
    await viewer.press(/^1\. JEE-Adv/);
    await viewer.waitForBotMessage((m) => m.text?.startsWith("🎬") ?? false);
    await viewer.send("thermodynamics");
    await viewer.waitForBotMessage((m) => m.text?.startsWith("No videos match") ?? false);
    for (const q of ["org", "organic"]) await viewer.inline(q);
    await viewer.inline("organic", { offset: "50" }); // a later page of the same search is not another search
    const chem = await h.videoId("Chem_Organic_L01.mp4");
    viewer.chooseInlineResult(`a${chem}`, "organic");
    await h.waitFor(async () => (await h!.app.dataSource.getRepository(SearchLog).countBy({ chosenVideoId: chem })) === 1, "the inline choice");

    const rows = await h.app.dataSource.getRepository(SearchLog).createQueryBuilder("s")
      .select("s.source", "source").addSelect("s.query", "query").addSelect("s.results", "results")
      .addSelect("s.chosenVideoId", "chosen_video_id").addSelect("s.userId", "user_id").orderBy("s.id")
      .getRawMany<{ source: string; query: string; results: number; chosen_video_id: number | null; user_id: number }>();
    expect(rows).toEqual([
      { source: "chat", query: "jee advanced physics electrostatics lecture 4", results: 1, chosen_video_id: l4, user_id: VIEWER },
      { source: "chat", query: "thermodynamics", results: 0, chosen_video_id: null, user_id: VIEWER },
      { source: "inline", query: "organic", results: 1, chosen_video_id: chem, user_id: VIEWER },
    ]);

    // A viewer may not see /stats; the owner gets the text and the chart.
    await viewer.send("/stats");
    await viewer.waitForBotMessage((m) => m.text?.startsWith("🔒") ?? false);
    await h.admin.send("/stats");
    const text = await h.admin.waitForBotMessage((m) => m.text?.startsWith("📊 Statistics") ?? false);
    expect(text.text).toContain("3 searches in the last 30 days");
    expect(text.text).toContain("“thermodynamics” — 1×");
    expect(text.text).toContain("1. Chem_Organic_L01.mp4 — 1");
    expect(text.text).toContain("2 videos now");
    const chart = await h.admin.waitForBotMessage((m) => m.media?.kind === "photo");
    expect(chart.caption).toContain("Weekly figures");
    // The photo is the rasterised SVG chart: a PNG 1080 px wide, as a phone shows it.
    const emu = h.emu;
    const file = await (await fetch(`${emu.apiRoot}/bot${emu.token}/getFile?file_id=${encodeURIComponent(chart.media?.fileId ?? "")}`)).json() as { result: { file_path: string } };
    const png = decode(Buffer.from(await (await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.result.file_path}`)).arrayBuffer()));
    expect({ width: png.width, tall: png.height > 1000 }).toEqual({ width: CHART_WIDTH, tall: true });
    await h.waitFor(() => h?.emu.requests.some((r) => r.method === "sendPhoto" && r.status === 200) ?? false, "sendPhoto's answer");
    expect(h.emu.violations).toEqual([]);
  });
});
