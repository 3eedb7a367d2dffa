import type { MigrationInterface, QueryRunner } from "typeorm";

/** Telegram's HTML as vidlib wrote it into captions (bold titles, four escapes), undone: `&amp;` last, so `&amp;lt;` stays `&lt;`. */
const UNESCAPED = `replace(replace(replace(replace(replace(replace(caption, '<b>', ''), '</b>', ''), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&')`;
const ESCAPED = `replace(replace(replace(replace(caption, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')`;

/**
 * Captions are stored as the text Telegram keeps, not as the HTML they were sent in: the publishing services
 * make a caption as a value (its text and bold spans) and the channel poster sends it as caption entities,
 * so nothing in the services writes Telegram HTML. A stored caption is compared with the caption of now
 * (stale captions after tag edits), so the ones stored by earlier releases become their text here. Undone,
 * the text is escaped again; the titles' bold is not restored (those posts are then offered a caption update).
 */
export class PlainCaptions1763600000026 implements MigrationInterface {
  name = "PlainCaptions1763600000026";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE publication SET caption = ${UNESCAPED}`);
    await queryRunner.query(`UPDATE upload_job SET caption = ${UNESCAPED} WHERE caption IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE publication SET caption = ${ESCAPED}`);
    await queryRunner.query(`UPDATE upload_job SET caption = ${ESCAPED} WHERE caption IS NOT NULL`);
  }
}
