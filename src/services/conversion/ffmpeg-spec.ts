/**
 * One ffmpeg run, as data: inputs with their options, then output options and the output.
 * Builders return these; only the ffmpeg adapter runs them.
 */
export interface FfmpegSpec {
  readonly inputs: readonly { readonly path: string; readonly options: readonly string[] }[];
  /** `-filter_complex` graph, when the run has one. */
  readonly complexFilter?: string;
  readonly outputOptions: readonly string[];
  /** A file path, or "-" (with `-f null`) for an analysis pass that writes nothing. */
  readonly output: string;
}

/** The command line the adapter runs for a spec (without the program name); `-y` because outputs are our own reserved temporary files. */
export function argvFor(spec: FfmpegSpec): string[] {
  return [
    ...spec.inputs.flatMap((input) => [...input.options, "-i", input.path]),
    "-y",
    ...(spec.complexFilter === undefined ? [] : ["-filter_complex", spec.complexFilter]),
    ...spec.outputOptions,
    spec.output,
  ];
}

/** What ffmpeg reported on one progress line of its log. */
export interface FfmpegProgress {
  /** Position reached in the output, in seconds. */
  readonly timeS: number;
  /** Speed as a multiple of real time, when ffmpeg printed one. */
  readonly speed: number | null;
}

const TIME = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const SPEED = /speed=\s*([\d.]+)x/;

/** Reads ffmpeg's `frame=… time=00:01:02.50 … speed=3.1x` status line; null for any other line. */
export function parseProgressLine(line: string): FfmpegProgress | null {
  const time = TIME.exec(line);
  if (time === null) return null;
  const [, minus, h, m, s] = time;
  const timeS = minus === "-" ? 0 : Number(h) * 3600 + Number(m) * 60 + Number(s);
  const speed = SPEED.exec(line);
  const value = speed === null ? null : Number(speed[1]);
  return { timeS, speed: value !== null && Number.isFinite(value) && value > 0 ? value : null };
}

/** The last meaningful lines of ffmpeg's log, for a person to read when a run failed. */
export function errorTail(lines: readonly string[], count = 5): string[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== "" && parseProgressLine(l) === null && !/^(Press \[q\]|Stream mapping|Input #|Output #|\s*Stream #|\s*Metadata|\s*Duration)/.test(l))
    .slice(-count);
}
