import { Entity, PrimaryColumn } from "typeorm";

/** A normalised word that is in the search index, so a typed prefix can become the few words it stands for. */
@Entity({ name: "search_term", withoutRowid: true })
export class SearchTerm {
  @PrimaryColumn({ type: "text" })
  term!: string;
}
