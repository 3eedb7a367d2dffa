import { AuditEvent } from "./audit-event.js";
import { Category } from "./category.js";
import { Job, JobSchedule } from "./job.js";
import { Channel } from "./channel.js";
import { ConversationState } from "./conversation-state.js";
import { Setting } from "./setting.js";
import { Tag } from "./tag.js";
import { User } from "./user.js";
import { UpdateJournalEntry } from "./update-journal.js";
import { Video } from "./video.js";

export { AuditEvent, Category, Channel, Job, JobSchedule, ConversationState, Setting, Tag, UpdateJournalEntry, User, Video };
export const ENTITIES = [AuditEvent, Category, Channel, Job, JobSchedule, ConversationState, Setting, Tag, UpdateJournalEntry, User, Video];
