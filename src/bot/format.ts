// The one escaping helper lives with the services (they compose notifications too); features import it from here.
export { escapeHtml, html } from "../services/telegram-html.js";
