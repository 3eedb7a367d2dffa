import { AuditEvent } from "./audit-event.js";
import { BulkAction } from "./bulk-action.js";
import { CardDirty } from "./card-dirty.js";
import { Category } from "./category.js";
import { CategoryChannel } from "./category-channel.js";
import { Job, JobSchedule } from "./job.js";
import { ProcessPresence } from "./process-presence.js";
import { FolderLock } from "./folder-lock.js";
import { Channel } from "./channel.js";
import { ChatPrompt } from "./chat-prompt.js";
import { ContentHash } from "./content-hash.js";
import { ConversationState } from "./conversation-state.js";
import { ConversionJob } from "./conversion-job.js";
import { DupeKeep } from "./dupe-keep.js";
import { DupePair } from "./dupe-pair.js";
import { FileMove } from "./file-move.js";
import { HlsExport } from "./hls-export.js";
import { LibraryGeneration } from "./library-generation.js";
import { Publication } from "./publication.js";
import { SearchDirty } from "./search-dirty.js";
import { SearchLog } from "./search-log.js";
import { SearchPosition } from "./search-position.js";
import { SearchSession } from "./search-session.js";
import { SearchTerm } from "./search-term.js";
import { Setting } from "./setting.js";
import { SyncFolder } from "./sync-folder.js";
import { SyncItem } from "./sync-item.js";
import { SyncRun } from "./sync-run.js";
import { Tag } from "./tag.js";
import { UpdateJournalEntry } from "./update-journal.js";
import { UploadJob } from "./upload-job.js";
import { User } from "./user.js";
import { Video } from "./video.js";
import { VideoCard } from "./video-card.js";

export {
  AuditEvent, BulkAction, CardDirty, Category, CategoryChannel, Channel, ChatPrompt, ContentHash, ConversationState, ConversionJob,
  DupeKeep, Job, JobSchedule, DupePair, FileMove, FolderLock, HlsExport, LibraryGeneration, ProcessPresence, Publication, SearchDirty, SearchLog, SearchPosition,
  SearchSession, SearchTerm, Setting, SyncFolder, SyncItem, SyncRun, Tag, UpdateJournalEntry, UploadJob, User, Video, VideoCard,
};

/**
 * Every table the migrations create, except `video_tag` (the join table of `Video.tags`, described by
 * its @JoinTable) and the FTS5 search index `video_search` with its shadow tables, which no entity can
 * describe; only the SQLite search adapter (src/infra/database/stores/sqlite-fts-search-index.ts) reads and writes them.
 */
export const ENTITIES = [
  AuditEvent, BulkAction, CardDirty, Category, CategoryChannel, Channel, ChatPrompt, ContentHash, ConversationState, ConversionJob,
  DupeKeep, Job, JobSchedule, DupePair, FileMove, FolderLock, HlsExport, LibraryGeneration, ProcessPresence, Publication, SearchDirty, SearchLog, SearchPosition,
  SearchSession, SearchTerm, Setting, SyncFolder, SyncItem, SyncRun, Tag, UpdateJournalEntry, UploadJob, User, Video, VideoCard,
];
