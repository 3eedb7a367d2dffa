// The one escaping helper lives with the Telegram adapters; features and views import it from here.
export { escapeHtml, html } from "../infra/telegram/html.js";
