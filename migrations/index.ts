import { Initial1763600000000 } from "./1763600000000-Initial.js";
import { UpdateJournal1763600000001 } from "./1763600000001-UpdateJournal.js";
import { LibraryGeneration1763600000002 } from "./1763600000002-LibraryGeneration.js";
import { SearchIndex1763600000003 } from "./1763600000003-SearchIndex.js";
import { SearchOrder1763600000004 } from "./1763600000004-SearchOrder.js";
import { Organise1763600000005 } from "./1763600000005-Organise.js";
import { Convert1763600000006 } from "./1763600000006-Convert.js";
import { Publish1763600000007 } from "./1763600000007-Publish.js";
import { TeamWorkflows1763600000008 } from "./1763600000008-TeamWorkflows.js";
import { SyncAndExport1763600000009 } from "./1763600000009-SyncAndExport.js";
import { AudioOnly1763600000010 } from "./1763600000010-AudioOnly.js";
import { SyncTrashRestore1763600000016 } from "./1763600000016-SyncTrashRestore.js";
import { UploadSettle1763600000017 } from "./1763600000017-UploadSettle.js";
import { Jobs1763600000018 } from "./1763600000018-Jobs.js";
import { ExportJobs1763600000020 } from "./1763600000020-ExportJobs.js";
import { ConversionJobs1763600000021 } from "./1763600000021-ConversionJobs.js";
import { SyncJobs1763600000023 } from "./1763600000023-SyncJobs.js";
import { UploadJobs1763600000024 } from "./1763600000024-UploadJobs.js";
import { ExplicitFollowUps1763600000025 } from "./1763600000025-ExplicitFollowUps.js";
import { PlainCaptions1763600000026 } from "./1763600000026-PlainCaptions.js";
import { ProcessPresence1763600000027 } from "./1763600000027-ProcessPresence.js";
import { LibraryFolderNames1763600000030 } from "./1763600000030-LibraryFolderNames.js";
import { FolderLocks1763600000031 } from "./1763600000031-FolderLocks.js";

/** Every migration, oldest first; listed explicitly so the same list works from source and from dist. */
export const MIGRATIONS = [Initial1763600000000, UpdateJournal1763600000001, LibraryGeneration1763600000002, SearchIndex1763600000003, SearchOrder1763600000004, Organise1763600000005, Convert1763600000006, Publish1763600000007, TeamWorkflows1763600000008, SyncAndExport1763600000009, AudioOnly1763600000010, SyncTrashRestore1763600000016, UploadSettle1763600000017, Jobs1763600000018, ExportJobs1763600000020, ConversionJobs1763600000021, SyncJobs1763600000023, UploadJobs1763600000024, ExplicitFollowUps1763600000025, PlainCaptions1763600000026, ProcessPresence1763600000027,
  LibraryFolderNames1763600000030, FolderLocks1763600000031];
