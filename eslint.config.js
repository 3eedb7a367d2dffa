// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NO_HTML_IN_SERVICES = {
  regex: "(^|/)(telegram-html|infra/telegram/(html|limits))(\\.js)?$",
  message: "Services return values and typed notices; render Telegram HTML in src/bot/views (or plain text in src/cli).",
};
const NO_INFRA_IN_SERVICES = {
  regex: "(^|/)infra(/|$)",
  message: "Services declare ports and receive adapters; only src/main.ts (composition) wires src/infra in.",
};
const NO_BOT_IN_SERVICES = {
  regex: "(^|/)bot(/|$)",
  message: "Services must not depend on the bot: return a value or a typed notice and let the bot render it.",
};

// No code outside src/infra reaches the raw driver: stores go through TypeORM, and the few statements that
// must be SQLite's own live in adapters named for the dialect (src/infra/database/stores/sqlite-*.ts, the job store's claim).
const NO_RAW_DRIVER = [
  { name: "better-sqlite3", message: "Only src/infra opens the database driver; use a store (TypeORM) behind a service port." },
  { name: "@resvg/resvg-js", message: "Only src/infra loads the native SVG renderer; services draw SVG and rasterise it through the ChartRasteriser port." },
];
// Archived upstream: it stays behind the one ffmpeg adapter, so that replacing it touches one file.
const NO_FLUENT_FFMPEG = {
  name: "fluent-ffmpeg",
  message: "fluent-ffmpeg (archived upstream) is used only in src/infra/ffmpeg/ffmpeg-runner.ts: run ffmpeg through the MediaTool port.",
};
const NO_BOT_VIEWS_IN_INFRA = {
  regex: "(^|/)bot/(views|keyboards|features)(/|$)",
  message: "No bot view or keyboard goes into an infra adapter; a sender that words chat belongs in src/bot/outbound.",
};
const NO_RAW_HANDLE = {
  regex: "(^|/)raw-sqlite(\\.js)?$",
  message: "The raw better-sqlite3 handle is for SQLite-dialect adapters in src/infra only; use TypeORM repositories or the query builder.",
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/", ".ci/.node/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["eslint.config.js", "bin/*.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "error",
    },
  },
  {
    files: ["**/*.ts", "**/*.js"],
    ignores: ["src/infra/**"],
    rules: { "no-restricted-imports": ["error", { paths: [...NO_RAW_DRIVER, NO_FLUENT_FFMPEG], patterns: [NO_RAW_HANDLE] }] },
  },
  // Services speak values, not chat: they return typed results and notices, and the bot's views (Telegram
  // HTML) or the command line (plain text) word them. So no service imports the HTML helper or the bot.
  {
    files: ["src/services/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [...NO_RAW_DRIVER, NO_FLUENT_FFMPEG], patterns: [NO_HTML_IN_SERVICES, NO_BOT_IN_SERVICES, NO_INFRA_IN_SERVICES, NO_RAW_HANDLE] }] },
  },
  // Adapters do not word chat either: what renders the bot's views and keyboards lives in src/bot/outbound.
  {
    files: ["src/infra/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [NO_FLUENT_FFMPEG], patterns: [NO_BOT_VIEWS_IN_INFRA] }] },
  },
  {
    files: ["src/infra/ffmpeg/ffmpeg-runner.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [NO_BOT_VIEWS_IN_INFRA] }] },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: "readonly", URL: "readonly", console: "readonly" } },
  },
  {
    // The jobs benchmark measures the engine against a bare UPDATE … RETURNING claim loop on the raw handle: that loop is its baseline.
    files: ["bench/jobs.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
);
