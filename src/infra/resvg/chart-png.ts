import { createRequire } from "node:module";
import type * as resvgModule from "@resvg/resvg-js";
import type { ChartRasteriser } from "../../services/stats/stats-service.js";
import { CHART_FONT } from "../../services/stats/weekly-chart.js";

const require = createRequire(import.meta.url);

/** The DejaVu Sans files shipped by an npm package: a fresh server (or Windows) may have no font at all. */
export function chartFontFiles(): string[] {
  return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
}

type Resvg = typeof resvgModule;

/** Rasterises charts with resvg (prebuilt native binaries) and the shipped font, never the system's fonts. */
export class ResvgChartRasteriser implements ChartRasteriser {
  private readonly fontFiles = chartFontFiles();
  // Loaded on first use: a process that never draws a chart (the CLI, the worker) never loads the native module.
  private resvg: Promise<Resvg> | undefined;

  async png(svg: string): Promise<Buffer> {
    this.resvg ??= import("@resvg/resvg-js");
    const { renderAsync } = await this.resvg;
    // renderAsync draws on libuv's thread pool, so the bot keeps answering while a chart is drawn.
    const image = await renderAsync(svg, {
      font: { loadSystemFonts: false, fontFiles: this.fontFiles, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
      fitTo: { mode: "original" },
      logLevel: "off",
    });
    return image.asPng();
  }
}
