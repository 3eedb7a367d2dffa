import { Column, Entity, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Category } from "./category.js";
import { Tag } from "./tag.js";

export const VIDEO_STATUSES = ["indexed", "missing", "unreadable"] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/** "audio": a recording with sound and no picture; indexed and searchable, never converted, paired or posted. */
export const MEDIA_KINDS = ["video", "audio"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** One video file in a library root, with what ffprobe said about it. */
@Entity({ name: "video" })
export class Video {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  /** Absolute path; unique while the file exists at it. */
  @Index({ unique: true })
  @Column({ type: "text" })
  path!: string;

  /** The primary's path of the library folder. */
  @Column({ type: "text" })
  root!: string;

  /** The library folder's name (LIBRARY_ROOTS): with `relativePath`, where any process finds the file through its own mounts. */
  @Column({ type: "text", nullable: true })
  folder!: string | null;

  @Column({ type: "text", name: "relative_path" })
  relativePath!: string;

  @Column({ type: "text", name: "file_name" })
  fileName!: string;

  @Column({ type: "text" })
  extension!: string;

  @Column({ type: "integer", name: "size_bytes" })
  sizeBytes!: number;

  @Column({ type: "real", name: "mtime_ms" })
  mtimeMs!: number;

  @Index()
  @Column({ type: "text", nullable: true })
  fingerprint!: string | null;

  @Column({ type: "text", default: "indexed" })
  status!: VideoStatus;

  @Column({ type: "text", name: "status_reason", nullable: true })
  statusReason!: string | null;

  @Column({ type: "real", name: "duration_s", nullable: true })
  durationS!: number | null;

  @Column({ type: "integer", nullable: true })
  width!: number | null;

  @Column({ type: "integer", nullable: true })
  height!: number | null;

  @Column({ type: "text", name: "video_codec", nullable: true })
  videoCodec!: string | null;

  @Column({ type: "text", name: "audio_codec", nullable: true })
  audioCodec!: string | null;

  @Column({ type: "text", name: "pixel_format", nullable: true })
  pixelFormat!: string | null;

  @Column({ type: "integer", name: "bit_rate", nullable: true })
  bitRate!: number | null;

  @Column({ type: "real", name: "frame_rate", nullable: true })
  frameRate!: number | null;

  @Column({ type: "text", nullable: true })
  container!: string | null;

  @Column({ type: "text", name: "media_kind", default: "video" })
  mediaKind!: MediaKind;

  @Column({ type: "integer", name: "probed_at", nullable: true })
  probedAt!: number | null;

  /** Telegram's id for this file once uploaded, so it can be sent again without uploading. */
  @Column({ type: "text", name: "telegram_file_id", nullable: true })
  telegramFileId!: string | null;

  /** For an MP4 that vidlib converted, the video it was converted from. */
  @Index("IDX_video_derived_from")
  @Column({ type: "integer", name: "derived_from_id", nullable: true })
  derivedFromId!: number | null;

  @ManyToOne(() => Category, { nullable: true, onDelete: "RESTRICT" })
  // The first migration's foreign keys carry the names TypeORM gave them; later ones are unnamed (see MigrationNamingStrategy).
  @JoinColumn({ name: "category_id", foreignKeyConstraintName: "FK_2a5c61f32e9636ee10821e9a58d" })
  category!: Relation<Category> | null;

  @ManyToMany(() => Tag, (tag) => tag.videos)
  @JoinTable({
    name: "video_tag",
    joinColumn: { name: "video_id", foreignKeyConstraintName: "FK_adc2291a949c076ad10579cca37" },
    inverseJoinColumn: { name: "tag_id", foreignKeyConstraintName: "FK_8a3ae3a8fee0382ac5874da0a22" },
  })
  tags!: Relation<Tag>[];

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
